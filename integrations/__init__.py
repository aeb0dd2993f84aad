"""Drop-in adapters for LangChain and LlamaIndex."""
