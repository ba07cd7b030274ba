from django.urls import URLPattern, URLResolver, path, re_path

from tiltas.exchange import views

app_name = "exchange"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.import_upload, name="upload"),
    # The navigation's name for the same page.
    path("", views.import_upload, name="import"),
    path("templates/", views.template_list, name="templates"),
    re_path(
        r"^templates/(?P<kind>[a-z0-9_]+)\.(?P<file_format>csv|xlsx)$",
        views.template_download,
        name="template_download",
    ),
    path("imports/<uuid:job_id>/", views.import_result, name="result"),
    path("imports/<uuid:job_id>/errors.csv", views.import_error_report, name="error_report"),
]
