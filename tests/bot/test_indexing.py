"""The index is rebuilt when the knowledge changes, and only then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bot.indexing
from bot.assistant import Assistant
from bot.config import Settings
from bot.errors import IndexStoreError
from bot.indexing import ensure_index, load_index
from bot.types import Route
from index import persist
from index.embedders.fake import HashEmbedder
from index.retriever import Retriever
from tests.helpers import write_article

pytestmark = pytest.mark.unit

NEW_ARTICLE = """\
    ---
    id: sso
    title: Single sign-on
    ---
    Single sign-on with SAML or OIDC is available on the Growth and Enterprise plans. Configure your
    identity provider in Settings, then Security, and test the connection before you enforce it.
    """


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The knowledge sources of every index build ``ensure_index`` starts."""
    calls: list[str] = []
    real = bot.indexing.build

    def counting(*args: Any, **kwargs: Any) -> Retriever:
        calls.append(kwargs["source"])
        return real(*args, **kwargs)

    monkeypatch.setattr(bot.indexing, "build", counting)
    return calls


def test_index_is_built_once_and_loaded_afterwards(settings: Settings, builds: list[str]) -> None:
    first = ensure_index(settings, HashEmbedder(), progress=False)
    manifest = persist.read_manifest(settings.resolved_index_dir)
    assert manifest is not None
    created = manifest["created"]
    second = ensure_index(settings, HashEmbedder(), progress=False)

    assert len(builds) == 1
    again = persist.read_manifest(settings.resolved_index_dir)
    assert again is not None and again["created"] == created
    assert [d.id for d in second.docs] == [d.id for d in first.docs]


def test_editing_an_article_rebuilds_the_index(settings: Settings, builds: list[str]) -> None:
    ensure_index(settings, HashEmbedder(), progress=False)
    write_article(settings.knowledge_dir / "articles", "sso", NEW_ARTICLE)

    retriever = ensure_index(settings, HashEmbedder(), progress=False)
    ensure_index(settings, HashEmbedder(), progress=False)

    assert len(builds) == 2
    assert "sso" in {d.id for d in retriever.docs}


def test_a_new_article_is_answered_by_a_fresh_assistant(settings: Settings) -> None:
    Assistant(settings, embedder=HashEmbedder()).warm_up(progress=False)
    write_article(settings.knowledge_dir / "articles", "sso", NEW_ARTICLE)

    reply = Assistant(settings, embedder=HashEmbedder()).reply(None, "single sign-on with SAML")

    assert reply.route is Route.ANSWER
    assert reply.sources[0].id == "sso"


def test_changing_the_chunk_size_rebuilds_the_index(settings: Settings, builds: list[str]) -> None:
    ensure_index(settings, HashEmbedder(), progress=False)
    ensure_index(settings.model_copy(update={"chunk_words": 40}), HashEmbedder(), progress=False)

    assert len(builds) == 2


def test_a_corrupt_index_is_rebuilt(settings: Settings, builds: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    ensure_index(settings, HashEmbedder(), progress=False)
    (settings.resolved_index_dir / "vectors.npy").write_bytes(b"garbage")

    retriever = ensure_index(settings, HashEmbedder(), progress=False)

    assert len(builds) == 2
    assert "rebuilding" in capsys.readouterr().err
    assert persist.load(settings.resolved_index_dir)[0].docs == retriever.docs


def test_fusion_weight_setting_applies_to_an_untuned_index(settings: Settings) -> None:
    ensure_index(settings, HashEmbedder(), progress=False)

    retriever = ensure_index(settings.model_copy(update={"fusion_weight": 0.7}), HashEmbedder(), progress=False)

    assert retriever.weights.fusion == 0.7


def test_a_malformed_article_stops_the_build_with_its_file_and_line(settings: Settings) -> None:
    write_article(settings.knowledge_dir / "articles", "broken", "---\nid: broken\ntitle: [unclosed\n---\nBody.\n")

    with pytest.raises(ValueError, match=r"broken\.md:\d+"):
        Assistant(settings, embedder=HashEmbedder()).warm_up(progress=False)


def test_loading_an_index_built_with_another_model_is_refused(settings: Settings, tmp_path: Path) -> None:
    ensure_index(settings, HashEmbedder(), progress=False)

    with pytest.raises(IndexStoreError, match="fake-hash"):
        load_index(settings.resolved_index_dir, settings, expected_model="sentence-transformers/all-MiniLM-L6-v2")
    with pytest.raises(IndexStoreError, match="no index here"):
        load_index(tmp_path / "empty", settings)
