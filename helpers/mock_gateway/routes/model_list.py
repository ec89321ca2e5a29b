"""GET /models: the OpenAI-style list of `account/model` ids the caller's key may use."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import undocumented as guess
from ..gateway.access import authenticate_openai_style
from ..gateway.state import gateway_state


async def list_models(request: Request) -> Response:
    """Only the models the key may use [doc], ids written `account/model`; the key in
    x-tfy-api-key or, as on every OpenAI-compatible route, `Authorization: Bearer`."""
    registry = gateway_state(request).registry
    principal = authenticate_openai_style(registry, request.headers, guess.MISSING_KEY_MESSAGE)
    data = [
        {
            "id": f"{model.account}/{model.name}",
            "object": "model",
            "created": guess.MODELS_CREATED,
            "owned_by": guess.MODELS_OWNED_BY.format(account=model.account),
        }
        for model in registry.usable_models(principal)
    ]
    return JSONResponse({"object": "list", "data": data})


ROUTES = [Route("/models", list_models, methods=["GET"])]
