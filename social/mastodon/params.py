"""Reading Mastodon's parameters as apps send them: form fields, query strings or JSON, lists as
`name[]=a&name[]=b` (or a JSON list), booleans as true/false/1/0."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError

TRUE = {"true", "1", "on", "yes"}
FALSE = {"false", "0", "off", "no", ""}


class RecordNotFound(ObjectDoesNotExist):
    """An id that names nothing of ours: answered 404 like any hidden record."""


def id_param(value, *, strict=True):
    """A numeric id as int; RecordNotFound (or None when not `strict`) for anything else."""
    value = str(value or "")
    if value.isdigit() and len(value) <= 18 and int(value) > 0:
        return int(value)
    if strict:
        raise RecordNotFound("No such record.")
    return None


def bool_param(data, name):
    """True/False when `name` is given, None when not."""
    if name not in data:
        return None
    value = data.get(name)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError({name: [f"{name} must be true or false."]})


def list_param(data, name):
    """The values of list parameter `name` (`name[]`, repeated `name`, or a JSON list)."""
    if hasattr(data, "getlist"):
        values = data.getlist(f"{name}[]") or data.getlist(name)
    else:
        values = data.get(f"{name}[]", data.get(name, []))
    if isinstance(values, str | int):
        values = [values]
    if not isinstance(values, list):
        raise ValidationError({name: [f"{name} must be a list."]})
    # A JSON body may hold a list inside one form value.
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return [str(value) for value in flat]


def str_param(data, name, default=""):
    value = data.get(name, default)
    if value is None:
        return default
    if isinstance(value, list | dict):
        raise ValidationError({name: [f"{name} must be text."]})
    return str(value)
