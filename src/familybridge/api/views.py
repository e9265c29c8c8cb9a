from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from familybridge.api.serializers import FamilySerializer, MeSerializer
from familybridge.audit.services import record_event
from familybridge.people.selectors import families_visible_to


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class FamilyListView(generics.ListAPIView):
    """Families the caller may see (caseload, or membership opened by the policy point)."""

    serializer_class = FamilySerializer

    @extend_schema(
        parameters=[
            # No address may hold a NUL byte (web.middleware.RejectNulBytesMiddleware): the schema says so.
            OpenApiParameter("q", str, description="Family name or case number contains", pattern=r"^[^\x00]*$")
        ],
        responses={
            200: FamilySerializer(many=True),
            400: OpenApiResponse(
                description="limit or offset is not a whole number of 0 or more, or the address holds a NUL byte"
            ),
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        purpose = self.request.user.default_purpose or "case_planning"
        record_event("search", object_type="people.family", purpose=purpose, details={"api": True})
        return families_visible_to(self.request.user, purpose, search=self.request.query_params.get("q", ""))
