"""Files attached to an object (photos, sign-in sheets, receipts): checked, re-encoded, served only
through the scoped download view."""
