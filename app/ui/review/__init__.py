"""Beoordelen (team leads): the queue of submitted intakes, oldest first, and the review screen
where one is approved or returned with comments."""

from app.ui.review.queue_model import QueueModel
from app.ui.review.queue_page import ReviewQueuePage
from app.ui.review.review_screen import ReviewScreen

__all__ = ["QueueModel", "ReviewQueuePage", "ReviewScreen"]
