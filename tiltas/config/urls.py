from django.urls import include, path

from tiltas.web.views import health

urlpatterns = [
    path("", include("tiltas.web.urls")),
    path("accounts/", include("tiltas.accounts.urls")),
    path("people/", include("tiltas.people.urls")),
    path("audit/", include("tiltas.audit.urls")),
    path("exchange/", include("tiltas.exchange.urls")),
    path("jobs/", include("tiltas.jobs.urls")),
    path("estimates/", include("tiltas.estimation.urls")),
    path("linkage/", include("tiltas.linkage.urls")),
    path("api/", include("tiltas.config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", health, name="health"),
]
