"""`page`/`limit` query arguments and the pagination block of list responses."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from marshmallow import fields, post_load, validate
from sqlalchemy import Select, Subquery, func, select, true
from sqlalchemy.orm import Session

from .api import Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_PAGE = 1_000_000  # beyond any real list; keeps the offset a number every database accepts


class PageQuery(Schema):
    """page (from 1) and limit (default 20; above 100 is clamped, not an error)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1))

    @post_load
    def _clamp(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["limit"] = min(data["limit"], MAX_LIMIT)
        return data


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    total = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)


def pagination(page: int, limit: int, total: int) -> dict[str, int]:
    return {"page": page, "limit": limit, "total": total, "total_pages": math.ceil(total / limit) if total else 0}


def paginate(session: Session, query: Select, page: int, limit: int) -> tuple[list[Any], dict[str, int]]:
    """One page of `query` (already ordered) and its pagination block: two queries."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(limit).offset((page - 1) * limit)))
    return items, pagination(page, limit, total)


def joined_to_count(count: Subquery, page: Subquery, *order: Any) -> Select:
    """One statement for a page and how many match (one snapshot, one round trip): the page (a subquery with an
    `id` column) joined to `count` (one row: `total`, and any other column it has), so that a page past the end
    still answers the count (one row, the page's columns NULL). `counted_page` reads its rows."""
    return select(*count.c, *page.c).select_from(count.outerjoin(page, true())).order_by(*order)


def counted_page(rows: Sequence[Any], page: int, limit: int) -> tuple[list[Any], dict[str, int]]:
    """The page's rows of a `joined_to_count` statement and the pagination block."""
    total = rows[0].total if rows else 0
    return [row for row in rows if row.id is not None], pagination(page, limit, total)
