from django.contrib import admin

from klynge.evaluations.models import Answer, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "kind", "text_da", "text_en", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "activity", "year", "opens_at", "closes_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["title", "activity__title"]
    raw_id_fields = ["activity", "created_by"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "number", "choice", "text"]
    raw_id_fields = ["question"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "person", "organisation", "sent_at", "reminded_at", "answered_at"]
    list_filter = ["survey__kind"]
    search_fields = ["person__email", "organisation__name", "survey__title"]
    raw_id_fields = ["survey", "person", "organisation"]
    readonly_fields = ["token"]
    inlines = [AnswerInline]
