"""Request and response models: what /openapi.json publishes and schemathesis checks answers against.

The response dicts themselves come from the CLI's serializers (index.output.hit_json,
qa.output.answer_json) and are sent as they are; these models describe them (DESIGN.md's contracts).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.limits import MAX_FILTER_CHARS, MAX_FILTER_VALUES, MAX_QUERY_CHARS
from qa.obligations import Obligation

# Not a schema `pattern`: regex dialects disagree on what a letter is (JSON Schema's \w is ASCII).
QUERY_RULE = "it must hold a letter or digit (else 400, as `tracuu search` refuses it)"
Value = Annotated[str, StringConstraints(max_length=MAX_FILTER_CHARS)]


class ErrorBody(BaseModel):
    error: str = Field(description="what was wrong and what to do")


class Passage(BaseModel):
    doc: str
    title: str
    section: str
    heading: str = Field(description="heading path, parts joined with ' › '")
    start: int
    end: int
    text: str = Field(description="exactly the document's canonical text[start:end]")


class SearchHit(Passage):
    rank: int
    score: float


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class Filters(BaseModel):
    """The page's sidebar filters; each a list of accepted values, empty or absent = no filter."""

    model_config = ConfigDict(extra="forbid")
    type: list[Value] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="document type")
    issuer: list[Value] = Field(default_factory=list, max_length=MAX_FILTER_VALUES)
    year: list[Value] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="year issued")
    doc: list[Value] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="document ids")

    def as_dict(self) -> dict:
        return {k: v for k, v in self.model_dump().items() if v}


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description=QUERY_RULE + ", e.g. 'nhiệm vụ của Sở Y tế'",
    )
    filters: Filters | None = None


class AskPoint(BaseModel):
    text: str = Field(description="verbatim from the canonical text of a document it cites")
    citations: list[int]


class AskCitation(Passage):
    n: int


class AskScope(BaseModel):
    searched: str  # what the question's scope restricted the search to ("trong Kế hoạch 215/KH-UBND")
    notes: list[str]  # scope parts no document meets ("không có văn bản nào của Hà Giang trong chỉ mục")


class AskResponse(BaseModel):
    question: str
    answer: str
    points: list[AskPoint]
    citations: list[AskCitation]
    scope: AskScope | None = None  # only when the question names a document, an issuer, a place or a year


class DocumentFilters(BaseModel):
    """The document's value for each /search filter (what the page offers as options)."""

    type: str
    issuer: str
    year: str


class DocumentSummary(BaseModel):
    doc: str
    title: str
    meta: dict[str, str] = Field(description="type, number, issuer, place, date, school_year, signer, ...")
    chunks: int
    filters: DocumentFilters


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class OutlineEntry(BaseModel):
    section: str
    heading: str = Field(description="heading path, parts joined with ' › '")
    start: int
    end: int


class DocumentDetail(DocumentSummary):
    notes: list[str] = Field(description="what the reader assumed (encoding, OCR, ...)")
    outline: list[OutlineEntry] = Field(description="the document's chunks in text order")
    text: str = Field(description="the canonical text every offset points into")


class ObligationList(BaseModel):
    body: str | None
    bodies: list[str] = Field(description="every body that has a task, sorted")
    obligations: list[Obligation]  # qa's own dataclass: one definition of the row


class Health(BaseModel):
    status: str
    model: str
    embedder: dict
    index: str
    created: str
    format_version: int | None
    tracuu_version: str
    documents: int
    chunks: int
    loaded_at: str
    reloads: int
    reload_error: str
