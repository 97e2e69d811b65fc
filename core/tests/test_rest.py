import pytest
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.pagination import InvalidCursor, paginate_keyset
from core.rest.pagination import KeysetListAPIView

factory = APIRequestFactory()


def raising(exc):
    class View(APIView):
        permission_classes = [AllowAny]

        def get(self, request):
            raise exc

        post = get

    return View.as_view()


# --- Errors -----------------------------------------------------------------------------------


class ItemsSerializer(serializers.Serializer):
    alt_texts = serializers.ListField(child=serializers.CharField(max_length=3))


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (
            ValidationError({"caption": ["Too long."], "__all__": ["Pick one."]}),
            400,
            {"caption": ["Too long."], "non_field_errors": ["Pick one."]},
        ),
        (ValidationError("Not now."), 400, {"non_field_errors": ["Not now."]}),
        (
            ValidationError(["First.", "Second."]),
            400,
            {"non_field_errors": ["First.", "Second."]},
        ),
        (serializers.ValidationError("Bare."), 400, {"non_field_errors": ["Bare."]}),
        (InvalidCursor(), 400, {"cursor": [InvalidCursor.default_message]}),
        (PermissionDenied("Authors only."), 403, {"detail": "Authors only."}),
        (User.DoesNotExist("user 7 is blocked"), 404, {"detail": "Not found."}),
        (Http404(), 404, {"detail": "Not found."}),
        (RequestDataTooBig("Too big."), 413, {"detail": "Too big."}),
    ],
)
def test_errors_from_services_become_4xx_json_of_one_shape(exc, status, body):
    response = raising(exc)(factory.get("/"))

    assert response.status_code == status
    assert response.data == body


def test_nested_serializer_errors_are_flattened_to_messages_per_field():
    class View(APIView):
        permission_classes = [AllowAny]

        def post(self, request):
            ItemsSerializer(data=request.data).is_valid(raise_exception=True)

    response = View.as_view()(factory.post("/", {"alt_texts": ["ok", "much too long"]}))

    assert response.status_code == 400
    assert response.data == {
        "alt_texts": ["Item 2: Ensure this field has no more than 3 characters."]
    }


def test_an_unknown_api_path_answers_json_404():
    response = APIClient().get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Pages ------------------------------------------------------------------------------------


class UsernameSerializer(serializers.Serializer):
    username = serializers.CharField()


class UserList(KeysetListAPIView):
    permission_classes = [AllowAny]
    serializer_class = UsernameSerializer

    def get_page(self, *, cursor, page_size):
        return paginate_keyset(
            User.objects.all(), ordering=(("id", "asc"),), cursor=cursor, page_size=page_size
        )


def get_list(**params):
    return UserList.as_view()(factory.get("/api/v1/users/", params))


@pytest.mark.django_db
def test_a_list_page_links_to_the_next_one_keeping_its_query():
    users = UserFactory.create_batch(5)

    first = get_list(page_size=2, q="keep")
    next_url = first.data["next"]
    second = UserList.as_view()(factory.get(next_url))

    assert [row["username"] for row in first.data["results"]] == [u.username for u in users[:2]]
    assert next_url.startswith("http://testserver/api/v1/users/?cursor=")
    assert "page_size=2" in next_url and "q=keep" in next_url
    assert [row["username"] for row in second.data["results"]] == [u.username for u in users[2:4]]


@pytest.mark.django_db
def test_the_last_page_has_no_next_link():
    UserFactory.create_batch(2)

    response = get_list(page_size=5)

    assert response.data["next"] is None
    assert len(response.data["results"]) == 2


@pytest.mark.django_db
def test_page_size_is_capped_at_100():
    UserFactory.create_batch(3)

    response = get_list(page_size=1000)

    assert response.status_code == 200
    assert len(response.data["results"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"), [({"cursor": "forged"}, "cursor"), ({"page_size": "ten"}, "page_size")]
)
def test_a_bad_cursor_or_page_size_is_a_400_naming_it(params, field):
    response = get_list(**params)

    assert response.status_code == 400
    assert list(response.data) == [field]


def test_a_keyset_list_is_documented_with_its_cursor_and_page_shape():
    schema = SchemaGenerator(patterns=[path("users/", UserList.as_view())]).get_schema()

    operation = schema["paths"]["/users/"]["get"]
    page = schema["components"]["schemas"]["PaginatedUsernameList"]

    assert [p["name"] for p in operation["parameters"]] == ["cursor", "page_size"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedUsernameList"
    }
    assert page["required"] == ["next", "results"]
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Username"}
    assert {"400", "401", "429"} <= set(operation["responses"])


# --- Schema -----------------------------------------------------------------------------------


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class Unlike(GenericAPIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, post_id):
        return Response(status=204)


class Report(GenericAPIView):
    serializer_class = TextSerializer
    error_statuses = ("404",)

    @extend_schema(responses={201: None})
    def post(self, request):
        return Response(status=201)


def documented_errors(route, view, method):
    schema = SchemaGenerator(patterns=[path(route, view.as_view())]).get_schema(public=True)
    (operations,) = schema["paths"].values()
    return {status for status in operations[method]["responses"] if status >= "400"}


def test_a_delete_documents_the_400_a_service_may_answer_and_no_body_errors():
    assert documented_errors("posts/<int:post_id>/like/", Unlike, "delete") == {
        "400",
        "401",
        "403",
        "404",
        "429",
    }


def test_an_operation_with_a_body_documents_413_and_415_and_its_declared_404():
    assert documented_errors("reports/", Report, "post") == {
        "400",
        "401",
        "403",
        "404",
        "413",
        "415",
        "429",
    }


# --- Throttles --------------------------------------------------------------------------------


class Comments(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "comment"

    def get(self, request):
        return Response([])

    def post(self, request):
        return Response(status=201)


def test_a_scoped_rate_counts_writes_but_not_reads(tight_rate):
    tight_rate("comment", "1/minute")
    view = Comments.as_view()

    statuses = [
        view(factory.get("/")).status_code,
        view(factory.post("/")).status_code,
        view(factory.get("/")).status_code,
        view(factory.post("/")).status_code,
    ]

    assert statuses == [200, 201, 200, 429]
