"""The development mail backend: every message printed to the console, readable.

Django's console backend prints the wire form of a message, where a body with a line longer
than 78 characters (a password-reset link) goes quoted-printable: `=` soft breaks cut the link
in two and `=3D` stands for `=`. Here a text part that is plain ASCII is sent as 7-bit instead
(lines up to 998 characters are allowed), so `make run` prints the mail as it was written and
its links can be copied from the terminal. Non-ASCII text keeps its encoding.
"""

from django.core.mail.backends.console import EmailBackend

SEVEN_BIT_LINE_MAX = 998  # RFC 5322's limit for a line of a message


def _seven_bit(text):
    return text.isascii() and all(len(line) <= SEVEN_BIT_LINE_MAX for line in text.splitlines())


class ReadableConsoleEmailBackend(EmailBackend):
    def write_message(self, message):
        msg = message.message()
        for part in msg.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            text = part.get_content()
            if _seven_bit(text):
                part.set_content(text, subtype=part.get_content_subtype(), cte="7bit")
        self.stream.write(msg.as_bytes().decode("utf-8", "replace"))
        self.stream.write("\n" + "-" * 79 + "\n")
