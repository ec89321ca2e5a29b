"""Every choice the wire contract leaves open, in one place, each marked [guess].

Nothing marked [guess] is documented by TrueFoundry or Cartesia. When a real gateway answers
differently, correct the constant here and the mock follows; no other module hard-codes them.

Comments here and across the mock also say where a behaviour that is NOT a guess comes from:
- [doc]: TrueFoundry's or Cartesia's published documentation says so;
- [sdk]: the published SDK code (cartesia, truefoundry-sdk) sends or expects it;
- [seen]: real gateway responses, seen in public logs, show it.
"""

from __future__ import annotations

# --- Gateway errors (TrueFoundry body shape is [seen]; these cases are not) ---

# [guess] An unknown provider account is answered like an unregistered model: 403 with the
# combined "not authorized ... or model does not exist" message, so accounts are not enumerable.
UNKNOWN_ACCOUNT_STATUS = 403

# [guess] A TTS route naming an STT model (or the reverse) is a 400 from the gateway.
WRONG_MODEL_TYPE_STATUS = 400
# [guess] Text of the wrong-model-type error.
WRONG_MODEL_TYPE_MESSAGE = (
    "Model {account}/{model} is registered as {actual}, but this route needs a model of type "
    "{wanted}"
)

# [guess] error_origin_level of a 403 (the 401 one, "authentication", is [seen]).
AUTHORIZATION_ORIGIN = "authorization"
# [guess] error_origin_level of the gateway's own request checks (body, model type, routes).
GATEWAY_ORIGIN = "gateway"
# [guess] error_origin_level and error.type of a rate-limit 429.
RATE_LIMIT_ORIGIN = "rate_limit"
RATE_LIMIT_ERROR_TYPE = "RateLimitError"
# [guess] Text of the rate-limit error.
RATE_LIMIT_MESSAGE = "Rate limit exceeded: rule '{rule}' allows {limit} requests {per}"
# [guess] error.type of a 400 the gateway raises itself.
BAD_REQUEST_ERROR_TYPE = "BadRequestError"
# [guess] 401 texts: missing key and unknown key.
MISSING_KEY_MESSAGE = "Unauthorized: no API key in the x-tfy-api-key header"
UNKNOWN_KEY_MESSAGE = "Unauthorized: invalid API key"
# [guess] The gateway must read model_id / model to authorize; without it the gateway answers 400.
MISSING_MODEL_MESSAGE = "Request must name the model in '{field}' (a non-empty string)"
# [guess] A body the gateway cannot parse as JSON is a gateway 400.
INVALID_JSON_MESSAGE = "Invalid JSON body: {detail}"
# [guess] Route not found: 404 with the TrueFoundry body.
NOT_FOUND_MESSAGE = "Route not found: {method} {path}"
# [guess] Method not allowed on a known route: 405 with the TrueFoundry body.
METHOD_NOT_ALLOWED_MESSAGE = "Method {method} is not allowed on {path}"

# [guess] `x-tfy-request-timeout` (ms, [doc]) bounds how long the gateway waits for the upstream
# answer to start (first audio, the transcript, the first chat token); past it, this status.
REQUEST_TIMEOUT_HEADER = "x-tfy-request-timeout"
REQUEST_TIMEOUT_STATUS = 504
REQUEST_TIMEOUT_MESSAGE = (
    "Request timed out: no upstream answer within {ms} ms (x-tfy-request-timeout)"
)
BAD_TIMEOUT_HEADER_MESSAGE = "{header} must be a positive number of milliseconds, got {got!r}"
# [guess] Value of the documented `x-tfy-resolved-model` response header (on TTS and batch STT
# responses): the model as `account/model`. Not sent on WebSocket handshakes.
RESOLVED_MODEL_HEADER_VALUE = "{account}/{model}"
# [guess] Metric of the documented `server-timing` header ([doc]: on non-streaming responses:
# batch STT, MP3 and GET /models): the gateway's whole time.
SERVER_TIMING_VALUE = "total;dur={ms:.1f}"

# --- WebSocket handshakes ---

# [guess] The gateway authenticates a WebSocket handshake by this header, as on HTTP (not by a
# query parameter); a rejected handshake is answered with an HTTP error response (401/403) and the
# TrueFoundry body, which the `websockets` client raises as InvalidStatus("... HTTP 401").
WEBSOCKET_API_KEY_HEADER = "x-tfy-api-key"

# --- Limits ---

# [guess] Longest TTS transcript accepted (characters); longer -> Cartesia-style 400.
MAX_TRANSCRIPT_CHARS = 10_000
# [guess] Largest JSON request body (bytes); larger -> 413 with the TrueFoundry body.
MAX_JSON_BODY_BYTES = 1_000_000
# [guess] Largest STT upload (bytes); larger -> 413 with the TrueFoundry body.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# [guess] Largest single STT WebSocket audio frame (bytes); larger -> STT error message.
MAX_WEBSOCKET_FRAME_BYTES = 1024 * 1024
# [guess] Status and texts of a too-large body.
PAYLOAD_TOO_LARGE_STATUS = 413
PAYLOAD_TOO_LARGE_MESSAGE = "Request body is {size} bytes; the limit is {limit} bytes"

# --- Cartesia-side errors (body shape from Cartesia's API-errors page; codes/statuses guessed) ---

# [guess] Status, error_code and title of a request that breaks the TTS/STT request schema.
INVALID_REQUEST_STATUS = 400
INVALID_REQUEST_CODE = "invalid_request"
INVALID_REQUEST_TITLE = "Invalid request"
# [guess] An unknown voice id: 404 with error_code voice_not_found.
VOICE_NOT_FOUND_STATUS = 404
VOICE_NOT_FOUND_CODE = "voice_not_found"
VOICE_NOT_FOUND_TITLE = "Voice not found"
# [guess] Batch POST /stt naming a streaming-only model: Cartesia documents only ink-whisper models
# for batch [sdk: STTBatchModel] and ink-2 for streaming; the mock refuses these with a 400 naming
# the fix. Empty this set if your gateway transcribes ink-2 in batch.
BATCH_REFUSED_STT_MODELS = frozenset({"ink-2"})
BATCH_MODEL_STATUS = 400
BATCH_MODEL_MESSAGE = (
    "model {model!r} is a streaming model; batch transcription takes {batch}: "
    "set STT_MODEL=ink-whisper"
)
# [guess] The auto-finalize (turns) WebSocket documents only ink-2 [sdk: STTAutoFinalizeModel]; the
# mock refuses another model there with an STT error message and a close (as a bad parameter).
TURNS_REFUSE_OTHER_MODELS = True
# [guess] A transcript over MAX_TRANSCRIPT_CHARS.
TRANSCRIPT_TOO_LONG_CODE = "transcript_too_long"
# [guess] An upload that is empty or is not decodable audio.
INVALID_AUDIO_STATUS = 400
INVALID_AUDIO_CODE = "invalid_audio"
INVALID_AUDIO_TITLE = "Invalid audio"
# [guess] A language the mock's speech engine cannot speak.
UNSUPPORTED_LANGUAGE_CODE = "unsupported_language"
# [guess] doc_url attached to Cartesia-style errors.
TTS_DOC_URL = "https://docs.cartesia.ai/api-reference/tts/bytes"
STT_DOC_URL = "https://docs.cartesia.ai/api-reference/stt/transcribe"

# --- Cartesia versions and account limits ---

# [guess] The gateway forwards the client's Cartesia-Version header (the SDK's, 2026-08-14) and
# Cartesia shapes its errors by it; False: by the provider account's cartesia_version instead.
GATEWAY_FORWARDS_CARTESIA_VERSION = True
# Before the documented cut-over (2026-03-01) Cartesia "may" answer plain text `Title: Message`
# [doc]; the mock does, with this content type. Set False to answer JSON for every version.
OLD_VERSION_PLAIN_TEXT_ERRORS = True
PLAIN_TEXT_ERROR_MEDIA_TYPE = "text/plain"
# [guess] A request without a Cartesia-Version, or with one that is not a date, gets the JSON body
# (unknown versions are accepted [doc]).
UNDATED_VERSION_JSON_ERRORS = True
# [guess] Cartesia's per-account concurrency limit (in-flight TTS and batch STT requests of one
# provider account, which holds one Cartesia key): it depends on the plan; the mock's default.
DEFAULT_CONCURRENCY_LIMIT = 8
# [guess] error_code, title and Retry-After (seconds) of Cartesia's 429 over that limit (or over
# its open-WebSocket limit, 10 times the concurrency [doc]).
CONCURRENCY_ERROR_CODE = "concurrency_limit_exceeded"
CONCURRENCY_ERROR_TITLE = "Too many concurrent requests"
CONCURRENCY_MESSAGE = (
    "{what} would exceed this account's limit of {limit}: wait for one to finish, or send fewer "
    "at once"
)
CONCURRENCY_RETRY_AFTER_SECONDS = 1
# [guess] An idle WebSocket (no client message for the documented 5 minutes) is closed with this
# code and reason.
IDLE_CLOSE_CODE = 1000
IDLE_CLOSE_REASON = "idle timeout: no message for {seconds:g} s"

# --- Faults and rate limits ---

# [guess] Retry-After (seconds) sent with injected 429/503 faults.
FAULT_RETRY_AFTER_SECONDS = 1
# [guess] Texts of injected faults.
FAULT_503_MESSAGE = "Service temporarily unavailable (fault injected by the mock gateway)"
FAULT_429_MESSAGE = "Too many requests (fault injected by the mock gateway)"

# --- Control plane ---

# [guess] Tenant name used in FQNs and list answers.
TENANT_NAME = "mock-tenant"
# [guess] Provider account FQN format.
PROVIDER_ACCOUNT_FQN = "{tenant}:{provider}:{name}"
# [guess] Only tenant admins may create provider accounts; managers may update or delete theirs.
CREATE_NEEDS_TENANT_ADMIN = True
# [guess] A manifest that breaks a documented rule (name != model_id, bad enum) -> 422.
MANIFEST_RULE_STATUS = 422
# [guess] A body that is not {"manifest": {...}} -> 400.
MANIFEST_BODY_STATUS = 400
# [guess] Deleting something that does not exist -> 404.
MANIFEST_NOT_FOUND_STATUS = 404
# [guess] `GET /api/svc/v1/provider-accounts` answers {"data": [ProviderAccount, ...]}.
PROVIDER_ACCOUNTS_LIST_KEY = "data"
# [guess] Roles that allow using every model of an account (manager implies access).
USE_ROLES = frozenset({"provider-account-access", "provider-account-manager"})
# [guess] Roles that allow editing an account.
MANAGE_ROLES = frozenset({"provider-account-manager"})

# --- /models ---

# [guess] `created` timestamp and `owned_by` of each entry in GET /models.
MODELS_CREATED = 0
MODELS_OWNED_BY = "{account}"

# --- Speech ---

# [guess] Speed factor of the top-level `speed` enum; generation_config.speed wins over it.
SPEED_ENUM_FACTORS = {"slow": 0.8, "normal": 1.0, "fast": 1.25}
# [guess] Language spoken when a request sets neither language nor locale: None means the voice's
# own language (a French voice speaks French); set a code such as "en" to force one.
DEFAULT_LANGUAGE = None

# --- Streaming message details ---

# [guess] status_code of streamed chunk / timestamps / flush_done messages, and of `done`.
STREAM_STATUS_CODE = 206
DONE_STATUS_CODE = 200
# [guess] A gateway refusal inside an open TTS WebSocket (e.g. a message naming a model the key
# may not use) is sent as a Cartesia-style `error` message with this title; the socket stays open.
WEBSOCKET_GATEWAY_ERROR_TITLE = "Gateway refused the request"
# [guess] ... and this error_code (documented as nullable): a gateway refusal has no Cartesia code.
WEBSOCKET_GATEWAY_ERROR_CODE = None
# [guess] Bad STT WebSocket query parameters: the socket is accepted, an STTErrorResponse sent,
# then closed with this code (1008 policy violation).
STT_WEBSOCKET_PARAM_CLOSE_CODE = 1008
# [guess] The closing message of a TTS context (empty transcript, continue false) finishes the
# context without authorizing its model_id (the SDK may send its default "sonic-latest" there).
CLOSING_MESSAGE_SKIPS_MODEL_CHECK = True

# --- Streaming STT ---

# [guess] Auto-finalize (turns) WebSocket: the silence (seconds, found by the Silero VAD) after
# speech that ends a turn, the shorter one that announces turn.eager_end, and the audio (seconds)
# before a detected start that still belongs to the turn. Cartesia's own thresholds are scores
# of its turn model (turn_*_threshold), which the mock accepts and does not use.
TURN_END_SILENCE_SECONDS = 0.8
TURN_EAGER_END_SILENCE_SECONDS = 0.4
TURN_PRE_ROLL_SECONDS = 0.3
# [guess] Text commands of the manual-finalize STT WebSocket the mock also accepts: the older
# `done` (an alias of `close`, as Cartesia's previous STT API named it).
STT_CLOSE_COMMANDS = frozenset({"close", "done"})
# [guess] Streamed audio (SSE, WebSocket, raw /tts/bytes) is cut into chunks of at most this many
# seconds; Cartesia sends many small chunks per sentence, their size is not documented.
STREAM_CHUNK_SECONDS = 0.2
# [guess] /tts/bytes streams raw and WAV as the speech is made; MP3 is sent whole (one clean file).
STREAMED_BYTES_CONTAINERS = frozenset({"raw", "wav"})
# [guess] A streamed WAV's header cannot know the length: its RIFF, data (and fact) sizes hold this
# "unknown length" placeholder, as streaming WAV writers do; soundfile reads such files fully.
WAV_STREAM_SIZE_PLACEHOLDER = 0xFFFFFFFF

# --- Speech engines (speech/: voices, eSpeak NG synthesis, audio encoding, recognition) ---

# [guess] Content-Type of TTS audio: Cartesia's OpenAPI document names only audio/wav. WAV and MP3
# get their registered types (helpers.audio_formats.MEDIA_TYPES); headerless PCM gets this one.
RAW_MEDIA_TYPE = "application/octet-stream"
# [guess] The words of TTS word timestamps are the transcript's whitespace-separated words with
# their punctuation ("Hello," "world!"); a token without a letter or digit (a lone "-") is no word.
TIMESTAMP_WORDS_KEEP_PUNCTUATION = True
# [guess] phoneme_timestamps list whole IPA phonemes, as the example of Cartesia's OpenAPI document
# does ("h", "ə", "l", "oʊ"): these symbol pairs are one phoneme; stress marks and pauses are none.
# (Which voice ids exist and how each sounds: speech/voices.CATALOG.)
JOINED_PHONEMES = frozenset(
    {"aɪ", "aʊ", "eɪ", "oʊ", "ɔɪ", "əʊ", "eə", "ɛə", "ɪə", "ʊə", "tʃ", "dʒ"}
)

# --- Texts and types of the remaining gateway-side errors ---

# [guess] Control plane: missing/unknown bearer key, bad body, not allowed, nothing to delete.
CONTROL_PLANE_MISSING_KEY_MESSAGE = (
    "Unauthorized: send 'Authorization: Bearer <TrueFoundry API key>'"
)
MANIFEST_BODY_MESSAGE = 'Body must be {"manifest": {...}} with the manifest as a JSON object'
DRY_RUN_MESSAGE = "dryRun must be true or false"
MANIFEST_RULE_MESSAGE = "Invalid manifest: {detail}"
MANIFEST_RULE_ERROR_TYPE = "ValidationError"
NOT_ALLOWED_TO_MANAGE_MESSAGE = "Subject {subject} is not authorized to manage {what}"
NOTHING_TO_DELETE_MESSAGE = "No {kind} named '{name}' to delete"
NOT_FOUND_ERROR_TYPE = "NotFoundError"
# [guess] STT upload that is not a parsable multipart/form-data body: a gateway 400.
NOT_MULTIPART_MESSAGE = (
    "Expected a multipart/form-data body with 'file' and 'model' fields, got content-type {got}"
)
MALFORMED_MULTIPART_MESSAGE = "Malformed multipart body: {detail}"

# --- OpenAI-compatible chat route (/chat/completions) ---
# [doc]: the route is `{GATEWAY_BASE_URL}/chat/completions` (the OpenAI SDK's base_url is the
# gateway base URL itself), the key is `Authorization: Bearer <TrueFoundry key>`, models are
# named `account/model`. Everything below is not documented.

# [guess] The chat route also accepts the key in x-tfy-api-key, and that header wins over a
# Bearer token when both are sent.
CHAT_KEY_HEADERS_FIRST = ("x-tfy-api-key",)
# [guess] 401 text when neither header carries a key.
CHAT_MISSING_KEY_MESSAGE = (
    "Unauthorized: send 'Authorization: Bearer <TrueFoundry API key>' (or x-tfy-api-key)"
)
# [guess] A model without an `account/` part is answered like an unregistered model: the
# combined 403 "not authorized ... or model does not exist", naming the model as sent.
CHAT_MODEL_WITHOUT_ACCOUNT_STATUS = 403
# [guess] A request the upstream provider refuses (OpenAI's 400 invalid_request_error) comes back
# in TrueFoundry's envelope with OpenAI's error object as `error` (message, type, param, code),
# `error_origin_level: "api_error"` and `provider` ([seen] on chat routes; the exact mix is not).
CHAT_UPSTREAM_ERROR_ORIGIN = "api_error"
CHAT_UPSTREAM_PROVIDER = "openai"
# [guess] `model` in a chat answer is the integration's upstream model_id (what the provider
# reports), and the x-tfy-resolved-model response header carries the gateway id `account/model`.
CHAT_RESPONSE_MODEL_IS_UPSTREAM_ID = True
# [guess] id prefix and system_fingerprint of the mock's answers.
CHAT_ID_PREFIX = "chatcmpl-mock-"
CHAT_SYSTEM_FINGERPRINT = "fp_mock_gateway"
# [guess] Tokens, for `usage` and max_tokens: the mock counts a word with its leading space, or one
# punctuation mark, as one token (a real model's tokenizer splits words further).
CHAT_TOKEN_PATTERN = r"\s*[\w'’-]+|\s*[^\w\s]"
# [guess] Each message costs this many tokens of framing in prompt_tokens (role and separators).
CHAT_TOKENS_PER_MESSAGE = 3
# `x-tfy-ttft-timeout-ms` [doc]: an answer whose first token would come later than this answers
# 408 [doc]. [guess] For a streamed chat answer the mock decides before the stream starts, from its
# token pace; for a TTS stream the first token is its first audio, for batch STT and MP3 the whole
# answer; a malformed value is a 400 (BAD_TIMEOUT_HEADER_MESSAGE); the text is a guess.
CHAT_TTFT_TIMEOUT_MESSAGE = "First token not received within {ms} ms (x-tfy-ttft-timeout-ms)"
