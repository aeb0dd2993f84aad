"""A LangChain 1.x agent (``create_agent``) with two tools that read and write personal
data, and PrivacyMiddleware around every model call.

    GROQ_API_KEY=... python examples/langchain_agent.py

The agent's model is Groq's OpenAI-compatible endpoint (``GROQ_BASE_URL``, default
https://api.groq.com) through ``ChatOpenAI``: any LangChain chat model that calls tools
works the same. ``PTMO_LOCAL=ollama:llama3.2:3b`` gives the middleware a local model for
what must stay on the device (without one, such a request fails and nothing is sent).
Each model call is printed as the model receives it: masked when it goes to the cloud;
the tools print what they receive: the real values.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable

from langchain.agents import create_agent
from langchain.agents.middleware import ModelRequest, ModelResponse, wrap_model_call
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import InMemorySaver

from ptmo_middleware.integrations.langchain_agent import PrivacyMiddleware

REQUEST = ("My password is hunter2xyz, in case you need it. Look up bob.jones@example.org in my "
           "contacts and text him that the meeting moved to 3pm.")
DIRECTORY = {"bob.jones@example.org": "Bob Jones, mobile +1 415 555 0134"}
OUTBOX: list[str] = []


@tool
def lookup_contact(query: str) -> str:
    """Look up a contact in the local address book by email address or name."""
    print(f"  tool lookup_contact got: {query!r}")
    found = [entry for key, entry in DIRECTORY.items() if key in query or entry.split(",")[0] in query]
    return "; ".join(found) or "no such contact"


@tool
def send_text(recipient: str, body: str) -> str:
    """Send a text message to a phone number."""
    print(f"  tool send_text got: recipient={recipient!r} body={body!r}")
    OUTBOX.append(f"{recipient}: {body}")
    return f"Sent to {recipient}."


@wrap_model_call
def show_model_input(request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
    """Prints what the model receives (inside PrivacyMiddleware: after masking)."""
    where = "leaves the device" if request.model is not privacy.local else "stays on the device"
    print(f"model call ({where}):")
    for message in request.messages:
        calls = [f"{c['name']}({c['args']})" for c in getattr(message, "tool_calls", [])]
        print(f"  | {message.type}: {message.text} {' '.join(calls)}".rstrip())
    return handler(request)


local = os.environ.get("PTMO_LOCAL")
privacy = PrivacyMiddleware(local=local if local and local.startswith("ollama:") else None)


def main() -> None:
    if not os.environ.get("GROQ_API_KEY"):
        sys.exit("This agent needs a model that calls tools: set GROQ_API_KEY (and GROQ_BASE_URL for another "
                 "OpenAI-compatible server).")
    base_url = os.environ.get("GROQ_BASE_URL", "https://api.groq.com").rstrip("/") + "/openai/v1"
    model = ChatOpenAI(model=os.environ.get("PTMO_CLOUD", "groq:llama-3.3-70b-versatile").removeprefix("groq:"),
                       base_url=base_url, api_key=os.environ["GROQ_API_KEY"], max_retries=0)
    agent = create_agent(model, [lookup_contact, send_text], middleware=[privacy, show_model_input],
                         system_prompt="You manage the user's contacts and messages.", checkpointer=InMemorySaver())

    print(f"request: {REQUEST}\n")
    result = agent.invoke({"messages": [{"role": "user", "content": REQUEST}]},
                          {"configurable": {"thread_id": "example"}})
    answer = result["messages"][-1]
    summary = answer.response_metadata["ptmo"]
    print(f"\nanswer: {answer.text}")
    print(f"plan summary (response_metadata['ptmo']): answered by {summary['answered_by']}, "
          f"level={summary['level']} span types={summary['span_types']}")
    print(f"outbox: {OUTBOX}")


if __name__ == "__main__":
    main()
