"""The staff console shows each conversation's language: a badge in the queue and on the ticket,
each message marked with its ``lang``, the suggested reply in the customer's language, and the
analytics split by language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from ui.app import create_app

LOGIN = {"username": "agent", "password": "a long enough password"}
# Three messages the fake assistant cannot answer: a fallback, then a handoff, then quiet.
CHINESE = ["斑马在草原上迁徙", "长颈鹿和季风季节"]
ENGLISH = ["how do I download an invoice as PDF"]


def converse(client: TestClient, messages: list[str]) -> dict[str, str]:
    conversation = None
    for message in messages:
        reply = client.post("/api/v1/chat", json={"message": message, "conversation_id": conversation}).json()
        conversation = reply["conversation_id"]
    return reply


def signed_in(assistant: Assistant) -> TestClient:
    assistant.store.add_staff(LOGIN["username"], LOGIN["password"])
    client = TestClient(create_app(assistant), raise_server_exceptions=False)
    assert client.post("/staff/login", data=LOGIN, follow_redirects=False).status_code == 303
    return client


def rows(page: str) -> dict[str, str]:
    """The queue's rows by ticket number."""
    return {m[1]: m[0] for m in re.finditer(r"<tr><td><a href=\"/staff/tickets/([^\"]+)\">.*?</tr>", page, re.S)}


@pytest.mark.unit
def test_the_queue_and_the_ticket_show_the_conversations_language(fake_assistant: Assistant) -> None:
    staff = signed_in(fake_assistant)
    handed = converse(staff, CHINESE)
    assert handed["route"] == "handoff" and handed["language"] == "zh"
    number = handed["ticket"]
    staff.post(f"/staff/tickets/{number}/reply", data={"message": "你好，我来看一下。"})

    queue = staff.get("/staff").text
    ticket = staff.get(f"/staff/tickets/{number}").text

    assert "<th>Language</th>" in queue
    assert 'title="zh">Chinese</span>' in rows(queue)[number]
    assert '<strong>Language:</strong> <span class="badge lang-zh" title="zh">Chinese</span>' in ticket
    messages = re.findall(r'<div class="turn (\w+)" lang="([\w-]+)">', ticket)
    assert messages == [("customer", "zh-CN"), ("bot", "zh-CN"), ("customer", "zh-CN"), ("bot", "zh-CN"),
                        ("staff", "zh-CN")]  # fmt: skip
    assert 'lang="zh-CN" required' in ticket  # the reply box, for the customer's language
    assert staff.get("/api/v1/tickets").json()[0]["language"] == "zh"


@pytest.mark.unit
def test_an_english_conversation_is_shown_as_english(fake_assistant: Assistant) -> None:
    staff = signed_in(fake_assistant)
    handed = converse(staff, [*ENGLISH, "I want to talk to a person", "zebra giraffe savanna", "monsoon migration"])
    assert handed["ticket"], handed

    ticket = staff.get(f"/staff/tickets/{handed['ticket']}").text

    assert 'title="en">English</span>' in rows(staff.get("/staff").text)[handed["ticket"]]
    assert set(re.findall(r'<div class="turn \w+" lang="([\w-]+)">', ticket)) == {"en"}


@pytest.mark.unit
def test_analytics_split_conversations_messages_and_rates_by_language(fake_assistant: Assistant) -> None:
    staff = signed_in(fake_assistant)
    converse(staff, CHINESE)  # a fallback, then a handoff
    converse(staff, ENGLISH)  # an answer

    page = staff.get("/staff/analytics", params={"days": 7}).text

    table = page.split('<table id="languages">')[1].split("</table>")[0]
    cells = {
        name: re.findall(r"<td>([^<]*)</td>", row)
        for name, row in re.findall(r'title="\w+">(\w+)</span></td>(.*?)</tr>', table, re.S)
    }
    # conversations, customer messages, bot replies, answered, fell back, handed over
    assert cells["Chinese"] == ["1", "2", "2", "0.0%", "50.0%", "100.0%"]
    assert cells["English"] == ["1", "1", "1", "100.0%", "0.0%", "0.0%"]
    assert list(cells) == ["Chinese", "English"]  # the busiest first
    assert '<span lang="zh-CN">斑马在草原上迁徙</span>' in page  # unanswered, marked with its language


@pytest.mark.integration
def test_the_suggested_reply_on_a_chinese_ticket_is_in_chinese(assistant: Assistant) -> None:
    staff = signed_in(assistant)
    handed = converse(staff, ["API key 泄露了怎么办", "帮我转人工"])
    assert handed["route"] == "handoff" and handed["language"] == "zh", handed

    page = staff.get(f"/staff/tickets/{handed['ticket']}").text

    assert "Suggested reply" in page and "in Chinese" in page
    suggestion = page.split("<h2>Suggested reply</h2>")[1]
    shown = re.search(r'<div lang="zh-CN">(.*?)</div><p><strong>Sources', suggestion, re.S)
    assert shown is not None and re.search(r"[\u4e00-\u9fff]", shown.group(1))
