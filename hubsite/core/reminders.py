"""The platform's own notification kinds, imported in every process by the notifications'
``autodiscover`` like every app's ``reminders`` module.

=====================  ==========================================  ================================
kind                   when                                        to whom
=====================  ==========================================  ================================
hubsite.group_test     someone sends a test message to a WeCom     the group only (no bell notice
                       group (the hub's robot, or an               is e-mailed; the row carries the
                       organisation's group)                       delivery)
=====================  ==========================================  ================================
"""

from .notifications.group_test import GROUP_TEST  # noqa: F401 - registers the kind
