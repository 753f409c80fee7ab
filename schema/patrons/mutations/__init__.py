"""The patrons' mutations, one module each."""

from __future__ import annotations

import strawberry

from schema.patrons.mutations.update_profile import UpdateProfilePayload, update_profile


@strawberry.type
class PatronMutation:
    update_profile: UpdateProfilePayload = strawberry.mutation(
        resolver=update_profile,
        description="Change the e-mail, phone or mobile number kept by the library system.",
    )
