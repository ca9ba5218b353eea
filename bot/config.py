"""Settings: defaults in code, overridden by ``SUPPORTBOT_*`` environment variables or ``.env``.

Every threshold, margin, word limit and ranking weight lives here, not in the code that uses it.
Settings are frozen: tuning returns new settings (``settings.model_copy(update=...)``) instead of
changing the ones a running assistant reads. The shipped values of the routing thresholds
(``answer_threshold``, ``intent_threshold``, ``intent_answer_threshold``, ``clarify_margin``)
and of ``fusion_weight`` and ``head_weight`` were chosen by ``supportbot tune`` on the train split of the shipped
evaluation set (see benchmarks/README.md); rerun it after large knowledge or intent changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.advisor.ranking import Weights
from bot.errors import ConfigError
from knowledge import PACKAGE_DIR


class Settings(BaseSettings):
    """Every tunable of supportbot, validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="SUPPORTBOT_", env_file=".env", extra="ignore", frozen=True)

    knowledge_dir: Path = Field(default=PACKAGE_DIR, description="knowledge folder or FAQ file")
    data_dir: Path = Field(default=Path("var"), description="index, model cache and database live here")
    index_dir: Path | None = Field(default=None, description="the index folder; <data_dir>/index when unset")
    embedder: Literal["onnx", "torch", "e5", "fake"] = "onnx"
    threads: int = Field(default=2, ge=1, le=64)
    languages: tuple[Literal["en", "zh"], ...] = Field(
        default=("en", "zh"), description="languages answered in; a message in another one is answered in English"
    )
    language: Literal["en", "zh"] = Field(
        default="en", description="the language these settings serve (for_language gives the Chinese ones)"
    )
    zh_embedder: Literal["onnx", "torch", "e5", "fake"] = Field(
        default="e5", description="encoder of Chinese messages and the index they search (multilingual)"
    )
    # Chinese messages search their own index with their own encoder, so their fusion weights
    # and routing thresholds are tuned apart (on the Chinese train split, benchmarks/README.md).
    # E5's cosines run higher than MiniLM's, hence the higher thresholds.
    zh_fusion_weight: float = Field(default=0.08, ge=0.0)
    zh_centroid_weight: float = Field(default=0.0, ge=0.0)
    zh_head_weight: float = Field(default=0.1, ge=0.0)
    zh_answer_threshold: float = 0.925
    zh_intent_threshold: float | None = Field(default=0.2, ge=0.0, le=1.0)
    zh_intent_answer_threshold: float = 0.91
    zh_clarify_margin: float = Field(default=0.0, ge=0.0, le=1.0)
    zh_negative_answer_threshold: float | None = None  # e5 refuses out of scope without it (train and dev)
    zh_crosslingual_threshold: float | None = Field(
        default=0.825,
        description=(
            "retrieval confidence needed to answer from a document in another language (an English-only "
            "FAQ): cosines across languages run lower; Chinese questions against the English COVID FAQ scored "
            "0.822 and more (5th percentile), Chinese off-topic messages 0.830 and less (95th)"
        ),
    )
    crosslingual_threshold: float | None = Field(
        default=None,
        description="the same for these settings' language; unset: documents in another language are not special",
    )

    learn_from_train: bool = Field(
        default=False, description="index the train split's labelled questions as keys of their articles"
    )
    fusion_weight: float = Field(default=0.5, ge=0.0, description="BM25 weight in the fused score")
    centroid_weight: float = Field(default=0.0, ge=0.0, description="weight of the key-centroid cosine")
    head_weight: float = Field(default=0.2, ge=0.0, description="weight of the key head's score (index.linear_head)")
    answer_threshold: float = Field(
        default=0.52, description="retrieval confidence needed to answer a message no intent covers"
    )
    intent_threshold: float | None = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="intent probability from which routing trusts the intent; unset: the model's own threshold",
    )
    intent_answer_threshold: float = Field(
        default=0.3, description="retrieval confidence needed to answer when the intent is in scope"
    )
    negative_answer_threshold: float | None = Field(
        default=0.6,
        description=(
            "retrieval confidence needed to answer a message the intent classifier puts out of scope (unset: "
            "answer_threshold); on the English train split 0.6 refuses 3% more in-scope questions and on the "
            "dev set 8 of 11 out-of-scope messages answered at answer_threshold"
        ),
    )
    clarify_margin: float = Field(
        default=0.0, ge=0.0, le=1.0, description="top-two intent probability gap below which the bot asks"
    )
    intents_file: Path | None = Field(default=None, description="intent examples; <knowledge_dir>/intents.yaml")
    chunk_words: int = Field(default=180, ge=20, le=2000)
    ann_threshold: int = Field(default=20_000, ge=1, description="units from which FAISS HNSW is used")
    max_sources: int = Field(default=3, ge=1, le=3)
    max_message_chars: int = Field(default=2000, ge=10)
    gap_similarity: float = Field(
        default=0.6, ge=0.0, le=1.0, description="average cosine within a group of the knowledge-gap report"
    )
    zh_gap_similarity: float = Field(default=0.9, ge=0.0, le=1.0)  # e5's cosines run higher than MiniLM's

    # What a reply draws on (bot/understanding.py, bot/handlers/answer.py).
    retrieve_k: int = Field(default=5, ge=1, description="documents retrieved per message: 3 sources, 2 related")
    answer_words: int = Field(default=160, ge=20, description="words of an article section quoted in an answer")
    source_margin: float = Field(
        default=0.08, ge=0.0, description="score gap to the best document within which another is cited"
    )
    related_margin: float = Field(
        default=0.25, ge=0.0, description="score gap within which another document is offered as a quick reply"
    )
    # The model advisor in a conversation (bot/routing.py, bot/handlers/advise.py).
    follow_up_words: int = Field(
        default=8, ge=1, description="longest message read as a follow-up to the models just recommended"
    )
    model_question_words: int = Field(
        default=12, ge=1, description="longest message read as a question about one model or the models shown"
    )
    advisor_weights: Weights = Field(default_factory=Weights, description="the advisor's ranking weights")
    # What a conversation remembers (bot/state.py, bot/conversations.py).
    recent_messages: int = Field(default=5, ge=1, description="customer messages kept for a ticket's summary")
    tried_items: int = Field(default=10, ge=1, description="articles answered from, kept for a ticket's summary")
    state_cache: int = Field(default=10_000, ge=0, description="conversations whose latest state a process keeps")
    write_attempts: int = Field(
        default=3, ge=1, description="times a turn is redone when another writer changed its conversation"
    )

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; SQLite at <data_dir>/supportbot.db when unset"
    )
    fallbacks_before_handoff: int = Field(default=2, ge=1, description="consecutive fallbacks that hand over")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("knowledge_dir")
    @classmethod
    def _exists(cls, value: Path) -> Path:
        if not value.exists():
            raise ValueError(f"no knowledge at {value}")
        return value

    def for_language(self, language: str) -> Settings:
        """The settings a message in ``language`` is served with: for Chinese, its encoder, its
        index and intent model folders and its tuned weights and thresholds in the general names."""
        if language != "zh" or self.language == "zh":
            return self
        tuned = {name: getattr(self, f"zh_{name}") for name in ZH_TUNED}
        embedder = "fake" if self.embedder == "fake" else self.zh_embedder  # tests stay on the fake encoder
        return self.model_copy(update={"language": "zh", "embedder": embedder, **tuned})

    @property
    def resolved_index_dir(self) -> Path:
        base = self.index_dir or self.data_dir / "index"
        return base / "zh" if self.language == "zh" else base

    @property
    def resolved_intents_file(self) -> Path:
        if self.intents_file is not None:
            return self.intents_file
        return self.knowledge_dir / ("intents.zh.yaml" if self.language == "zh" else "intents.yaml")

    @property
    def intent_model_dir(self) -> Path:
        return self.data_dir / ("intents-zh" if self.language == "zh" else "intents")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'supportbot.db').resolve()}"

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"


# The settings Chinese messages take from their ``zh_`` twins (``Settings.for_language``).
ZH_TUNED = (
    "fusion_weight",
    "centroid_weight",
    "head_weight",
    "answer_threshold",
    "intent_threshold",
    "intent_answer_threshold",
    "clarify_margin",
    "negative_answer_threshold",
    "crosslingual_threshold",
    "gap_similarity",
)


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and ``.env``, with ``overrides`` on top.

    Raises:
        ConfigError: naming the setting and the bad value.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as e:
        first = e.errors()[0]
        name = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"setting SUPPORTBOT_{name.upper()}={first.get('input')!r}: {first['msg']}") from e
