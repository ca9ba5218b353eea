"""The model-selection advisor: facts from the customer's words, the questions still worth asking,
recommendations from the catalog, side-by-side comparisons, tolerant model names and the replies
that carry them.

What the advisor recognises lives in ``vocabulary``; what it says lives in the ``advisor:`` section
of ``assistant.yaml``: load it with ``load_copy(path, required=ADVISOR_KEYS)`` and pass the ``Copy``
to the functions that speak. Every function that ranks takes its ``Weights``.
"""

from bot.advisor.compare import Comparison, compare
from bot.advisor.constraints import violated, violations
from bot.advisor.facts import Facts, extract_facts, facts_from_json, facts_to_json
from bot.advisor.names import asks_a_fact, model_in_question, resolve_models
from bot.advisor.questions import MAX_QUESTIONS, Question, next_question, task_question
from bot.advisor.ranking import Advice, Recommendation, Weights, recommend
from bot.advisor.replies import advice_reply, advise, comparison_reply, model_fact_reply, which_one_reply
from bot.advisor.wording import ADVISOR_KEYS

__all__ = [
    "ADVISOR_KEYS",
    "MAX_QUESTIONS",
    "Advice",
    "Comparison",
    "Facts",
    "Question",
    "Recommendation",
    "Weights",
    "advice_reply",
    "advise",
    "asks_a_fact",
    "compare",
    "comparison_reply",
    "extract_facts",
    "facts_from_json",
    "facts_to_json",
    "model_fact_reply",
    "model_in_question",
    "next_question",
    "recommend",
    "resolve_models",
    "task_question",
    "violated",
    "violations",
    "which_one_reply",
]
