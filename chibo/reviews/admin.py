from django.contrib import admin

from chibo.reviews.models import CellReview, MemberReview, OrgRating, ReviewAmendment

admin.site.register(CellReview, raw_id_fields=["org", "ruleset", "chair", "recorder"])
admin.site.register(MemberReview, raw_id_fields=["cell_review", "member"])
admin.site.register(ReviewAmendment, raw_id_fields=["member_review"])
admin.site.register(OrgRating, raw_id_fields=["org"])
