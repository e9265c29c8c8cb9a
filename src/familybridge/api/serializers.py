from rest_framework import serializers

from familybridge.agencies.models import User
from familybridge.people.models import Family


class MeSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "agency", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_codes)


class FamilySerializer(serializers.ModelSerializer):
    class Meta:
        model = Family
        fields = ["id", "name", "case_number", "opened_on", "closed_on"]
