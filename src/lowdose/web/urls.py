from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lowdose.web.accounts import twofactor
from lowdose.web.accounts import views as account_views
from lowdose.web.accounts.forms import LoginForm
from lowdose.web.api.api import api
from lowdose.web.courses import views as course_views
from lowdose.web.diary import views as diary_views

diary_urls = (
    [
        path("", diary_views.home, name="home"),
        path("checkin/", diary_views.checkin, name="checkin"),
        path("chart.svg", diary_views.chart, name="chart"),
    ],
    "diary",
)

course_urls = (
    [
        path("patients/", course_views.patient_list, name="patient_list"),
        path("patients/<int:pk>/", course_views.patient_detail, name="patient_detail"),
        path("patients/<int:pk>/chart.svg", course_views.patient_chart, name="patient_chart"),
        path("patients/<int:pk>/dose/", course_views.change_dose, name="change_dose"),
        path("pharmacy/", course_views.pharmacy_courses, name="pharmacy"),
        path("research/", course_views.research_overview, name="research"),
    ],
    "courses",
)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", twofactor.two_factor, name="two_factor"),
    path("me/", include(diary_urls)),
    path("", include(course_urls)),
    path("", include("lowdose.web.outcomes.urls")),
    path("", include("lowdose.web.safety.urls")),
    path("", include("lowdose.web.pharmacy.urls")),
    path("", include("lowdose.web.reports.urls")),
    path("", include("lowdose.web.evaluation.urls")),
    path("", include("lowdose.web.dashboard.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
