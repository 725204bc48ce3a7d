"""Staff pages of activities and focus networks, the calendar files and the portal export.

Registration and check-in pages live in `klynge.activities.registration_urls` (another
module's views); this package links to them by URL name only.
"""
