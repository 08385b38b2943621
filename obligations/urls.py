from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("<slug:slug>/cost-shares/", views.CostSharesView.as_view(), name="cost_shares"),
]
