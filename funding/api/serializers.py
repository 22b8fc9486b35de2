from rest_framework import serializers

from funding.models import BudgetLine


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "year", "section", "is_in_plan", "code", "label", "voted_amount", "position"]
