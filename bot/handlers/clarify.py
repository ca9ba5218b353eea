"""The ``clarify`` route: two intents are about equally likely, so ask which one is meant."""

from __future__ import annotations

from bot.handlers.base import Context, register
from bot.types import Reply, Route

# How each shipped intent is named in a question back to the customer; the quick reply is
# sent as the customer's next message, so it reads as something a customer would say.
TOPICS = {
    "greeting": "Just saying hello",
    "thanks": "Just saying thanks",
    "goodbye": "That's all for now",
    "human_handoff": "I want to talk to a person",
    "complaint": "I'm unhappy with the service",
    "model_selection": "Help me choose a model",
    "model_comparison": "Compare two models",
    "pricing_billing": "Pricing and billing",
    "account_keys": "API keys and my account",
    "data_privacy_security": "Data privacy and security",
    "evaluation_metrics": "Evaluation metrics",
    "fine_tuning": "How fine-tuning works",
    "deployment": "Deployment options",
    "api_usage": "How to call the API",
    "error_authentication": "A 401 authentication error",
    "error_permission": "A 403 permission error",
    "error_rate_limit": "A 429 rate limit error",
    "error_payload_too_large": "Request or context too large",
    "error_timeout_latency": "Slow responses or timeouts",
    "error_server_outage": "Server errors or an outage",
    "error_model_not_found": "Model not found",
    "error_sdk_install": "Installing the SDK fails",
    "error_streaming": "Streaming breaks off",
    "error_fine_tune_failed": "My fine-tuning job failed",
    "error_quality_drift": "Answers got worse",
    "error_billing_block": "Requests blocked by billing",
}


def topic(intent: str) -> str:
    """The customer-facing name of ``intent``."""
    return TOPICS.get(intent, intent.replace("_", " ").capitalize())


@register(Route.CLARIFY)
def clarify(ctx: Context) -> Reply:
    options = [topic(i) for i in (ctx.intent, ctx.runner_up) if i]
    question = " or ".join(f"“{o.lower()}”" for o in options)
    return Reply(
        reply=f"Just to be sure I help with the right thing: do you mean {question}?",
        route=Route.CLARIFY,
        conversation_id=ctx.conversation_id,
        intent=ctx.intent,
        confidence=ctx.confidence,
        quick_replies=(*options, "Something else"),
    )
