"""A scripted chat model for tests: replies come from a queue, every input is recorded.

    model = ScriptedChatModel(replies=['{"intent": "recommend"}', "Here you go."])
    register_backend(scripted_backend(model))      # then get_chat_model("scripted") returns it
    ...
    unregister_backend("scripted")                 # always, e.g. in a fixture's teardown
"""

from __future__ import annotations

from typing import Any, TypeVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from convrec.agent.llm.registry import Backend, LLMError

T = TypeVar("T", bound=BaseModel)


class ScriptedChatModel(BaseChatModel):
    """Replies in order from `replies`; `history` holds the messages of every call."""

    replies: list[str] = Field(default_factory=list)
    history: list[list[BaseMessage]] = Field(default_factory=list)
    supports_constrained_decoding: bool = True

    @property
    def _llm_type(self) -> str:
        return "convrec-scripted"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self._next(messages)))])

    def generate_structured(self, messages: LanguageModelInput, schema: type[T],
                            max_new_tokens: int = 128) -> T:
        """The next scripted reply, parsed as `schema` (a bad script raises ValidationError)."""
        return schema.model_validate_json(self._next(self._convert_input(messages).to_messages()))

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Runnable:
        return RunnableLambda(lambda value: self.generate_structured(value, schema))

    def _next(self, messages: list[BaseMessage]) -> str:
        self.history.append(list(messages))
        if not self.replies:
            raise LLMError(f"ScriptedChatModel has no reply left for call {len(self.history)}")
        return self.replies.pop(0)


def scripted_backend(model: ScriptedChatModel, kind: str = "scripted") -> Backend:
    """A backend whose every spec (`scripted` or `scripted:anything`) returns `model`."""
    return Backend(kind=kind, description="scripted replies for tests",
                   factory=lambda name, options: model, supports_constrained_decoding=True,
                   name_required=False)
