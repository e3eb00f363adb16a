"""Files attached to an object (photos, sign-in sheets, receipts): checked, re-encoded, served only
through the scoped download view.

The ground cannot know the apps, so an app registers each model people may attach files to, with the
policy that says who may see and add them (``register``, called from the app's ``AppConfig.ready``).
The generic views under ``/attachments/`` find the owner through its model's ``for_user`` and that
policy: another organisation's object, file or thumbnail answers 404.
"""

from .registry import Policy, policy_for, register, registered, unregister

__all__ = ["Policy", "policy_for", "register", "registered", "unregister"]
