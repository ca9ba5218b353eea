"""The ``troubleshoot`` route: something fails.

Until step-by-step diagnostic flows exist, the reply is the knowledge base's section on
the failure, introduced as such, with the related fixes as quick replies.
"""

from __future__ import annotations

from bot.handlers.answer import grounded_reply
from bot.handlers.base import Context, register
from bot.types import Reply, Route


@register(Route.TROUBLESHOOT)
def troubleshoot(ctx: Context) -> Reply:
    return grounded_reply(ctx, Route.TROUBLESHOOT, lead="Let's get that working. This is the usual cause and fix:")
