"""What the tool-calling tests share: the private values, the request that carries them,
and two tools that read and write personal data."""
from __future__ import annotations

from typing import Any

from langchain_core.tools import tool

EMAIL = "alice.smith@corp-mail.com"
PASSWORD = "hunter2xyz"
PHONE = "+1 415 555 0134"
DIRECTORY_EMAIL = "a.smith.home@gmail.com"
PRIVATE = (EMAIL, PASSWORD, PHONE, DIRECTORY_EMAIL)
REQUEST = f"My password is {PASSWORD}. Find the phone of {EMAIL} and text it to them."
SETTINGS = {"classifiers": ["rules"]}


class Toolbox:
    """Two tools that read and write personal data; ``received`` records their arguments."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []

        @tool
        def lookup_contact(query: str) -> str:
            """Look up a contact in the local directory."""
            self.received.append(("lookup_contact", {"query": query}))
            return f"Found: phone {PHONE}, private email {DIRECTORY_EMAIL}."

        @tool
        def send_text(recipient: str, body: str) -> str:
            """Send a text message."""
            self.received.append(("send_text", {"recipient": recipient, "body": body}))
            return f"Sent to {recipient}."

        self.tools = {t.name: t for t in (lookup_contact, send_text)}

    def as_list(self) -> list[Any]:
        return list(self.tools.values())
