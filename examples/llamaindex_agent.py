"""A LlamaIndex ``FunctionAgent`` with two tools that read and write personal data, and
the privacy router as its LLM.

    GROQ_API_KEY=... python examples/llamaindex_agent.py

The cloud side must call tools: Groq (``groq:llama-3.3-70b-versatile``, or PTMO_CLOUD);
PTMO_LOCAL picks the local model (``ollama:llama3.2:3b`` takes tools; the embedded
model cannot, so a request that must stay local then fails and nothing is sent). Each
turn prints what leaves the device; the tools print what they receive.
"""
from __future__ import annotations

import asyncio
import os
import sys

from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.tools import FunctionTool

from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM

REQUEST = ("My password is hunter2xyz, in case you need it. Look up bob.jones@example.org in my "
           "contacts and text him that the meeting moved to 3pm.")
DIRECTORY = {"bob.jones@example.org": "Bob Jones, mobile +1 415 555 0134"}
OUTBOX: list[str] = []


def lookup_contact(query: str) -> str:
    """Look up a contact in the local address book by email address or name."""
    print(f"  tool lookup_contact got: {query!r}")
    found = [entry for key, entry in DIRECTORY.items() if key in query or entry.split(",")[0] in query]
    return "; ".join(found) or "no such contact"


def send_text(recipient: str, body: str) -> str:
    """Send a text message to a phone number."""
    print(f"  tool send_text got: recipient={recipient!r} body={body!r}")
    OUTBOX.append(f"{recipient}: {body}")
    return f"Sent to {recipient}."


async def run(llm: PrivacyRouterLLM) -> str:
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(lookup_contact), FunctionTool.from_defaults(send_text)],
                          llm=llm, system_prompt="You manage the user's contacts and messages.")
    return str(await agent.run(user_msg=REQUEST))


def main() -> None:
    if not os.environ.get("GROQ_API_KEY"):
        sys.exit("This agent needs a cloud model that calls tools: set GROQ_API_KEY.")
    llm = PrivacyRouterLLM(local=os.environ.get("PTMO_LOCAL", "ollama:llama3.2:3b"),
                           cloud=os.environ.get("PTMO_CLOUD", "groq:llama-3.3-70b-versatile"),
                           conversation_id="example")
    router = llm.get_router()
    plan = router.plan(REQUEST, conversation_id="example", tools=True)
    print(f"request: {REQUEST}")
    print(f"level / route: {plan.level.name} / {plan.route.value}")
    for message in plan.cloud_messages:
        print(f"  | leaves the device: {message.content}")
    answer = asyncio.run(run(llm))
    print(f"\nanswer: {answer}")
    print(f"outbox: {OUTBOX}")


if __name__ == "__main__":
    main()
