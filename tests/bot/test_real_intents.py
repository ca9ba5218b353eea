"""Real customer phrasings reach the right route, with the packaged model and the shipped intents.

None of these messages is an example in knowledge/intents.yaml.
"""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.types import Route

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("text", "route", "intent"),
    [
        ("I want to talk to a human", Route.HANDOFF, "human_handoff"),
        ("can someone from your team call me back about this", Route.HANDOFF, "human_handoff"),
        ("hi there", Route.SMALLTALK, "greeting"),
        ("cheers, that sorted it", Route.SMALLTALK, "thanks"),
        ("429 too many requests", Route.TROUBLESHOOT, "error_rate_limit"),
        ("getting 401 invalid api key on every call since this morning", Route.TROUBLESHOOT, "error_authentication"),
        ("which model would you pick to summarise long legal contracts", Route.ADVISE, "model_selection"),
        ("how do I rotate an api key without downtime", Route.ANSWER, "account_keys"),
    ],
)
def test_phrasing_reaches_its_route(assistant: Assistant, text: str, route: Route, intent: str) -> None:
    reply = assistant.reply(None, text)

    assert (reply.route, reply.intent) == (route, intent)


@pytest.mark.parametrize("text", ["what's the weather in Paris", "who won the football last night"])
def test_unrelated_message_falls_back(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(None, text)

    assert reply.route is Route.FALLBACK
    assert reply.sources == ()


def test_troubleshooting_reply_cites_the_error_article(assistant: Assistant) -> None:
    reply = assistant.reply(None, "429 too many requests")

    assert reply.sources[0].id == "error-429-too-many-requests"
    assert reply.quick_replies


def test_handoff_opens_a_ticket_and_the_bot_goes_quiet(assistant: Assistant) -> None:
    reply = assistant.reply(None, "I want to talk to a human")
    later = assistant.reply(reply.conversation_id, "how do I rotate my api key?")

    assert reply.ticket and reply.ticket in reply.reply
    assert reply.sources == ()
    assert (later.route, later.ticket, later.sources) == (Route.HANDOFF, reply.ticket, ())
    ticket = assistant.store.ticket(reply.ticket)
    assert ticket is not None and ticket["summary"]["customer_words"][-1] == "I want to talk to a human"


def test_shipped_intents_are_trained_once_and_cached(assistant: Assistant) -> None:
    from bot.intents.files import read_manifest

    manifest = read_manifest(assistant.settings.intent_model_dir)

    assert manifest is not None
    assert manifest["embedder"] == assistant.embedder.name
    assert assistant.intents is not None
    assert manifest["fingerprint"] == assistant.intents.fingerprint
    assert len(manifest["labels"]) >= 24
    assert assistant.intents.topics["error_rate_limit"] == "A 429 rate limit error"  # its label: in intents.yaml
