"""What a day is shown as: its view (view, computed once from the Day) rendered by every output
(brief, review, feed, mail, webhook) through the templates and formats, and the day's files
written together (publish)."""
