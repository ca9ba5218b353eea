"""supportbot's conversation layer. ``Assistant`` is the one entry point for every front end.

Names load lazily so that importing a light module (``bot.errors``) pulls in nothing heavy.
An entry "module:attribute" exports the attribute under another name (a name such as
``evaluate`` would collide with a submodule of that name once it is imported).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what mypy sees; keep in step with _EXPORTS (tests/ui/test_public_api.py checks)
    from bot.assistant import Assistant as Assistant
    from bot.config import Settings as Settings
    from bot.config import load_settings as load_settings
    from bot.desk import SupportDesk as SupportDesk
    from bot.desk_types import Activity as Activity
    from bot.desk_types import ConversationTranscript as ConversationTranscript
    from bot.desk_types import FeedbackEntry as FeedbackEntry
    from bot.desk_types import IntentActivity as IntentActivity
    from bot.desk_types import StaffSession as StaffSession
    from bot.desk_types import TicketDetail as TicketDetail
    from bot.desk_types import TicketSummary as TicketSummary
    from bot.desk_types import TranscriptLine as TranscriptLine
    from bot.desk_types import UnansweredQuestion as UnansweredQuestion
    from bot.desk_types import WidgetKey as WidgetKey
    from bot.errors import Conflict as Conflict
    from bot.errors import InputError as InputError
    from bot.errors import NotFound as NotFound
    from bot.errors import SupportbotError as SupportbotError
    from bot.guard import storable as storable
    from bot.indexing import build as build_index  # noqa: F401 (exported under this name)
    from bot.intents.crossval import cross_validate as cross_validate_intents  # noqa: F401 (exported under this name)
    from bot.intents.model import IntentClassifier as IntentClassifier
    from bot.intents.training import encode_set as encode_intents  # noqa: F401 (exported under this name)
    from bot.intents.training import ensure_model as ensure_intent_model  # noqa: F401 (exported under this name)
    from bot.intents.training import features_of as intent_features  # noqa: F401 (exported under this name)
    from bot.intents.training import train_from as train_intents  # noqa: F401 (exported under this name)
    from bot.origins import normalize_origin as normalize_origin
    from bot.quality.eval import evaluate as quality_report  # noqa: F401 (exported under this name)
    from bot.quality.fresh import SETS as ROUTED_SETS  # noqa: F401 (exported under this name)
    from bot.quality.fresh import evaluate_set as routed_report  # noqa: F401 (exported under this name)
    from bot.quality.gaps import Gap as Gap
    from bot.quality.scenarios import SCENARIO_DIR as SCENARIO_DIR
    from bot.quality.scenarios import run_all as run_scenarios  # noqa: F401 (exported under this name)
    from bot.quality.tuning import tune_on_train as tune_on_train
    from bot.types import Reply as Reply
    from bot.types import Route as Route
    from bot.types import Source as Source
    from index.chunking import slugify as slugify
    from index.embedders import make_embedder as make_embedder
    from knowledge import load_documents as load_documents
    from knowledge.intents import load_intents as load_intents

_EXPORTS = {
    "Assistant": "bot.assistant",
    "Settings": "bot.config",
    "load_settings": "bot.config",
    "Reply": "bot.types",
    "Route": "bot.types",
    "Source": "bot.types",
    # the staff side
    "SupportDesk": "bot.desk",
    "Activity": "bot.desk_types",
    "ConversationTranscript": "bot.desk_types",
    "FeedbackEntry": "bot.desk_types",
    "IntentActivity": "bot.desk_types",
    "StaffSession": "bot.desk_types",
    "TicketDetail": "bot.desk_types",
    "TicketSummary": "bot.desk_types",
    "TranscriptLine": "bot.desk_types",
    "UnansweredQuestion": "bot.desk_types",
    "WidgetKey": "bot.desk_types",
    "normalize_origin": "bot.origins",
    "storable": "bot.guard",  # text as any database can store it (no NUL, no lone surrogates)
    # the web app's article pages: the anchor a source link points at (the index's own slug)
    "slugify": "index.chunking",
    # the command line's jobs (ui/cli): evaluation, tuning, index and intent models
    "quality_report": "bot.quality.eval:evaluate",
    "routed_report": "bot.quality.fresh:evaluate_set",
    "ROUTED_SETS": "bot.quality.fresh:SETS",
    "Gap": "bot.quality.gaps",
    "tune_on_train": "bot.quality.tuning",
    "run_scenarios": "bot.quality.scenarios:run_all",
    "SCENARIO_DIR": "bot.quality.scenarios",
    "build_index": "bot.indexing:build",
    "load_documents": "knowledge",
    "make_embedder": "index.embedders",
    "IntentClassifier": "bot.intents.model",
    "load_intents": "knowledge.intents",
    "train_intents": "bot.intents.training:train_from",
    "intent_features": "bot.intents.training:features_of",
    "encode_intents": "bot.intents.training:encode_set",
    "ensure_intent_model": "bot.intents.training:ensure_model",
    "cross_validate_intents": "bot.intents.crossval:cross_validate",
    # errors
    "SupportbotError": "bot.errors",
    "InputError": "bot.errors",
    "NotFound": "bot.errors",
    "Conflict": "bot.errors",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, _, attribute = _EXPORTS[name].partition(":")
        return getattr(import_module(module), attribute or name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
