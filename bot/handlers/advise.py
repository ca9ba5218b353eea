"""The ``advise`` route: the customer wants help choosing or comparing models.

Until the catalog advisor exists, the reply is the knowledge base's guidance on choosing
a model for the task asked about, with its sources.
"""

from __future__ import annotations

from bot.handlers.answer import grounded_reply
from bot.handlers.base import Context, register
from bot.types import Reply, Route


@register(Route.ADVISE)
def advise(ctx: Context) -> Reply:
    return grounded_reply(ctx, Route.ADVISE, lead="Here is how our models compare for that:")
