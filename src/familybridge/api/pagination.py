from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset paging that answers 400 to a value outside what its schema declares, instead of ignoring it."""

    max_limit = 500

    def _whole_number(self, request: Request, name: str, default: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: "Give a whole number."}) from None
        if value < 0:
            raise ValidationError({name: "Give a number of 0 or more."})
        return value

    def get_limit(self, request: Request) -> int | None:
        limit = self._whole_number(request, self.limit_query_param, self.default_limit)
        if limit is not None and limit > self.max_limit:
            raise ValidationError({self.limit_query_param: f"Give at most {self.max_limit}."})
        return limit or self.default_limit

    def get_offset(self, request: Request) -> int:
        return self._whole_number(request, self.offset_query_param, 0)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["maximum"] = self.max_limit
        return parameters
