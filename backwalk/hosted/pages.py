"""Hosted mode's pages: sign up, sign in, the account, sharing, and the clinician's pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
