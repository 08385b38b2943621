from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("<slug:slug>/cost-shares/", views.CostSharesView.as_view(), name="cost_shares"),
]
