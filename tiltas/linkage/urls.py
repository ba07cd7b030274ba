from django.urls import URLPattern, URLResolver, path

from tiltas.linkage import views

app_name = "linkage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.run_list, name="runs"),
    path("start/", views.run_start, name="run_start"),
    path("runs/<uuid:linkage_run_id>/", views.run_detail, name="run"),
    path("runs/<uuid:linkage_run_id>/progress/", views.run_progress, name="run_progress"),
    path("review/", views.review_list, name="review"),
    path("review/<uuid:review_pair_id>/", views.pair_detail, name="pair"),
]
