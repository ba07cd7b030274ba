from django.urls import URLPattern, URLResolver, path

from tiltas.jobs import views

app_name = "jobs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/progress/", views.job_progress_fragment, name="progress"),
]
