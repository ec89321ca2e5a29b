"""The chat route's refusals (openai SDK errors) read as one line naming the fix, like the rest."""

from __future__ import annotations

import openai
import pytest
from support import LEARNER_KEY

from helpers.error_lines import with_fix
from helpers.mock_gateway.server import RunningGateway

QUESTION = [{"role": "user", "content": "Hello?"}]


async def refusal(url: str, key: str, model: str) -> openai.APIStatusError:
    async with openai.AsyncOpenAI(api_key=key, base_url=url, max_retries=0) as chat:
        with pytest.raises(openai.APIStatusError) as caught:
            await chat.chat.completions.create(model=model, messages=QUESTION)
    return caught.value


async def test_a_chat_model_the_key_may_not_use_names_llm_model(gateway: RunningGateway) -> None:
    line = with_fix(await refusal(gateway.url, LEARNER_KEY, "openai-main/not-registered"))
    assert "\n" not in line and line.startswith("403 PermissionDeniedError: ")
    assert "openai-main/not-registered" in line and "set LLM_MODEL" in line


async def test_a_wrong_key_on_the_chat_route_names_tfy_api_key(gateway: RunningGateway) -> None:
    line = with_fix(await refusal(gateway.url, "tfy-wrong", "openai-main/mock-chat"))
    assert line.startswith("401 AuthenticationError: Unauthorized") and "TFY_API_KEY" in line
