"""Who may do what with treaty obligations: every rule lives here."""

from common.roles import is_secretariat


def can_work_on_obligations(user) -> bool:
    """Article 7 compliance and reminders, Article 14 cost shares: the secretariat's work only."""
    return is_secretariat(user)
