"""A LangChain chain, prompt | model | parser, with the privacy router as the model.

    python examples/langchain_chain.py

Offline as it stands: the embedded model (Gemma 3 270M) answers locally and, with no
GROQ_API_KEY set, also stands in for the cloud (said so below). PTMO_LOCAL and
PTMO_CLOUD pick other backends, e.g. ``PTMO_LOCAL=ollama:llama3.2:3b``.
"""
from __future__ import annotations

import os

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel, to_router_messages

QUESTION = "My password is hunter2xyz. In one sentence, what makes a password strong?"


def backends() -> tuple[str, str]:
    """The local and cloud backend specs, from the environment."""
    local = os.environ.get("PTMO_LOCAL", "embedded")
    cloud = os.environ.get("PTMO_CLOUD") or (
        "groq:llama-3.3-70b-versatile" if os.environ.get("GROQ_API_KEY") else "embedded")
    return local, cloud


def main() -> None:
    local, cloud = backends()
    if cloud == "embedded":
        print("No GROQ_API_KEY: the embedded model stands in for the cloud; "
              "'leaves the device' below is what Groq would have received.\n")
    prompt = ChatPromptTemplate.from_messages([("system", "You are a concise assistant."), ("human", "{question}")])
    llm = PrivacyRouterChatModel(local=local, cloud=cloud, max_tokens=80)  # the one-line swap
    chain = prompt | llm | StrOutputParser()

    plan = llm.get_router().plan(to_router_messages(prompt.format_messages(question=QUESTION)))
    print(f"question:           {QUESTION}")
    print(f"level / route:      {plan.level.name} / {plan.route.value}")
    print(f"leaves the device:  {plan.cloud_payloads or 'nothing'}")

    print("\nanswer (invoke):   ", chain.invoke({"question": QUESTION}))
    print("answer (streamed): ", end=" ", flush=True)
    for piece in chain.stream({"question": QUESTION}):
        print(piece, end="", flush=True)
    print()

    summary = llm.invoke(QUESTION).response_metadata["ptmo"]
    print(f"\nplan summary (response_metadata['ptmo']): route={summary['route']} level={summary['level']} "
          f"span types={summary['span_types']} budget spent={summary['budget_spent']}")


if __name__ == "__main__":
    main()
