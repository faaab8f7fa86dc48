"""LLM backends as LangChain chat models: the registry (`registry.get_chat_model`), the
embedded and local Hugging Face backends (`local`, `engine`, `quant`, `embedded`, `adapter`),
OpenAI-compatible servers (`openai_compat`), a scripted model for tests (`testing`) and the
LLM benchmark (`bench`). Nothing here imports the rest of the agent.
"""
