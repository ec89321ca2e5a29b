"""POST /chat/completions with the official openai SDK in strict mode: answers, streams, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import openai
import pytest
from openai import AsyncOpenAI
from support import ADMIN_KEY, LEARNER_KEY, OUTSIDER_KEY

from helpers.mock_gateway.server import RunningGateway, start_in_thread

MODEL = "openai-main/mock-chat"
QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


def strict_client(url: str, key: str = LEARNER_KEY, **options) -> AsyncOpenAI:
    """The openai SDK as a user configures it for the gateway, validating every response."""
    return AsyncOpenAI(
        api_key=key, base_url=url, max_retries=0, _strict_response_validation=True, **options
    )


@pytest.fixture
async def chat(gateway: RunningGateway) -> AsyncIterator[AsyncOpenAI]:
    async with strict_client(gateway.url) as client:
        yield client


def post(url: str, body: dict, key: str | None = LEARNER_KEY, **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(f"{url}/chat/completions", json=body, headers={**auth, **headers})


async def test_plain_answer_is_the_mocks_composed_from_the_question(chat: AsyncOpenAI) -> None:
    raw = await chat.chat.completions.with_raw_response.create(model=MODEL, messages=QUESTION)
    completion = raw.parse()
    assert raw.headers["x-tfy-resolved-model"] == MODEL
    assert completion.object == "chat.completion" and completion.model == "mock-chat-1"
    (choice,) = completion.choices
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "mock" in choice.message.content
    assert "What is the capital of France?" in choice.message.content
    usage = completion.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    again = await chat.chat.completions.create(model=MODEL, messages=QUESTION)
    assert again.choices[0].message.content == choice.message.content  # deterministic


async def test_stream_delivers_the_same_answer_token_by_token(chat: AsyncOpenAI) -> None:
    plain = await chat.chat.completions.create(model=MODEL, messages=QUESTION)
    stream = await chat.chat.completions.create(model=MODEL, messages=QUESTION, stream=True)
    chunks = [chunk async for chunk in stream]
    assert all(c.object == "chat.completion.chunk" and c.usage is None for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert len(pieces) == plain.usage.completion_tokens > 10  # one chunk per token
    assert "".join(pieces) == plain.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])


async def test_include_usage_adds_a_last_chunk_with_usage_and_no_choices(chat: AsyncOpenAI) -> None:
    plain = await chat.chat.completions.create(model=MODEL, messages=QUESTION)
    stream = await chat.chat.completions.create(
        model=MODEL, messages=QUESTION, stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage
    assert all(c.usage is None for c in chunks[:-1])


def test_stream_is_server_sent_events_ending_with_done(gateway: RunningGateway) -> None:
    response = post(gateway.url, {"model": MODEL, "messages": QUESTION, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block for block in response.text.split("\n\n") if block]
    assert all(block.startswith("data: ") for block in events)
    assert events[-1] == "data: [DONE]"


async def test_history_is_read_the_answer_recalls_the_previous_question(chat: AsyncOpenAI) -> None:
    history = [
        *QUESTION,
        {"role": "assistant", "content": "Paris."},
        {"role": "user", "content": [{"type": "text", "text": "And of Italy?"}]},
    ]
    answer = (await chat.chat.completions.create(model=MODEL, messages=history)).choices[0]
    assert "And of Italy?" in answer.message.content
    assert "What is the capital of France?" in answer.message.content


async def test_max_tokens_stop_and_n_shape_the_answer(chat: AsyncOpenAI) -> None:
    short = await chat.chat.completions.create(model=MODEL, messages=QUESTION, max_tokens=3)
    assert short.choices[0].finish_reason == "length" and short.usage.completion_tokens == 3
    full = (await chat.chat.completions.create(model=MODEL, messages=QUESTION)).choices[0]
    stopped = await chat.chat.completions.create(model=MODEL, messages=QUESTION, stop=["France"])
    assert full.message.content.startswith(stopped.choices[0].message.content)
    assert "France" not in stopped.choices[0].message.content
    two = await chat.chat.completions.create(model=MODEL, messages=QUESTION, n=2)
    assert [c.index for c in two.choices] == [0, 1]


@pytest.mark.parametrize("key", ["tfy-not-a-key", "dummy"])
async def test_wrong_key_is_a_gateway_401(gateway: RunningGateway, key: str) -> None:
    async with strict_client(gateway.url, key) as client:
        with pytest.raises(openai.AuthenticationError) as caught:
            await client.chat.completions.create(model=MODEL, messages=QUESTION)
    assert caught.value.body["code"] == "401"
    assert caught.value.body["message"].startswith("Unauthorized")


def test_no_key_is_a_401_with_truefoundry_body(gateway: RunningGateway) -> None:
    response = post(gateway.url, {"model": MODEL, "messages": QUESTION}, key=None)
    body = response.json()
    assert response.status_code == 401 and body["status"] == "failure"
    assert body["error_origin_level"] == "authentication"
    assert "Authorization: Bearer" in body["message"]


async def test_x_tfy_api_key_header_is_accepted_too(gateway: RunningGateway) -> None:
    headers = {"x-tfy-api-key": LEARNER_KEY}
    async with strict_client(gateway.url, "dummy", default_headers=headers) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=QUESTION)
    assert completion.choices[0].message.content


@pytest.mark.parametrize(
    ("key", "model"),
    [
        (OUTSIDER_KEY, MODEL),  # registered, but not shared with the outsider
        (LEARNER_KEY, "openai-main/gpt-4o"),  # not registered
        (LEARNER_KEY, "elsewhere/mock-chat"),  # no such account
        (LEARNER_KEY, "mock-chat"),  # no account part
    ],
)
async def test_model_the_key_may_not_use_is_a_403(
    gateway: RunningGateway, key: str, model: str
) -> None:
    async with strict_client(gateway.url, key) as client:
        with pytest.raises(openai.PermissionDeniedError) as caught:
            await client.chat.completions.create(model=model, messages=QUESTION)
    message = caught.value.body["message"]
    assert f"not authorized to access model {model} or model does not exist" in message
    assert caught.value.body["type"] == "AuthorizationError"


async def test_an_audio_model_on_the_chat_route_is_a_400(chat: AsyncOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await chat.chat.completions.create(model="cartesia-main/sonic-3.5", messages=QUESTION)
    assert "needs a model of type chat" in caught.value.body["message"]


async def test_models_lists_the_chat_model_for_the_openai_sdk(gateway: RunningGateway) -> None:
    learner, outsider = strict_client(gateway.url), strict_client(gateway.url, OUTSIDER_KEY)
    async with learner, outsider:
        assert MODEL in [m.id async for m in learner.models.list()]
        assert [m.id async for m in outsider.models.list()] == []


SHARED_WITH_OUTSIDER = {
    "name": "openai-main",
    "type": "provider-account/openai",
    "auth_data": {"type": "api-key", "api_key": "mock-openai-key-not-a-secret"},
    "collaborators": [
        {"subject": "team:everyone", "role_id": "provider-account-access"},
        {"subject": "virtualaccount:outsider", "role_id": "provider-account-access"},
    ],
    "integrations": [
        {"type": "integration/model/openai", "name": "mock-chat", "model_id": "mock-chat-1",
         "model_types": ["chat"]},
    ],
}  # fmt: skip


@pytest.fixture
def own_gateway() -> Iterator[RunningGateway]:
    """A gateway of this test's own, for tests that change its registry."""
    with start_in_thread(host="127.0.0.1", port=0) as running:
        yield running


async def test_outsider_may_chat_once_the_account_is_shared(own_gateway: RunningGateway) -> None:
    body = {"model": MODEL, "messages": QUESTION}
    assert post(own_gateway.url, body, OUTSIDER_KEY).status_code == 403
    applied = httpx.put(
        f"{own_gateway.url}/api/svc/v1/apply",
        json={"manifest": SHARED_WITH_OUTSIDER, "dryRun": False},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert applied.status_code == 200 and applied.json()["data"]["provider"] == "openai"
    async with strict_client(own_gateway.url, OUTSIDER_KEY) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=QUESTION)
    assert completion.choices[0].finish_reason == "stop"


RATE_LIMITED = """
manifests:
  - name: openai-main
    type: provider-account/openai
    auth_data: {type: api-key, api_key: k}
    collaborators: [{subject: "team:everyone", role_id: provider-account-access}]
    integrations:
      - {type: integration/model/openai, name: mock-chat, model_id: m, model_types: [chat]}
  - type: gateway-rate-limiting-config
    rules:
      - {id: one-a-minute, when: {models: ["openai-main/mock-chat"]}, limit_to: 1,
         unit: requests_per_minute}
keys:
  - {key: tfy-mock-learner-key, subject: "user:learner@example.com", teams: [everyone]}
"""


async def test_rate_limit_is_a_429_with_retry_after(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(RATE_LIMITED)
    running = start_in_thread(host="127.0.0.1", port=0, registry_file=registry)
    try:
        async with strict_client(running.url) as client:
            await client.chat.completions.create(model=MODEL, messages=QUESTION)
            with pytest.raises(openai.RateLimitError) as caught:
                await client.chat.completions.create(model=MODEL, messages=QUESTION)
    finally:
        running.stop()
    assert int(caught.value.response.headers["retry-after"]) >= 1
    assert "one-a-minute" in caught.value.body["message"]


def test_first_token_deadline_shorter_than_the_pace_is_a_408(gateway: RunningGateway) -> None:
    body = {"model": MODEL, "messages": QUESTION, "stream": True}
    late = post(gateway.url, body, **{"x-tfy-ttft-timeout-ms": "0.001"})
    assert late.status_code == 408 and late.json()["status"] == "failure"
    assert post(gateway.url, body, **{"x-tfy-ttft-timeout-ms": "soon"}).status_code == 400
    assert post(gateway.url, body, **{"x-tfy-ttft-timeout-ms": "60000"}).status_code == 200


def test_request_timeout_shorter_than_the_first_token_is_a_504(gateway: RunningGateway) -> None:
    body = {"model": MODEL, "messages": QUESTION, "stream": True}
    late = post(gateway.url, body, **{"x-tfy-request-timeout": "0.001"})
    assert late.status_code == 504 and "x-tfy-request-timeout" in late.json()["message"]
    assert post(gateway.url, body, **{"x-tfy-request-timeout": "never"}).status_code == 400
