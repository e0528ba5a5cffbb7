from django.contrib import admin

from lowdose.web.outcomes.models import Alert, QuestionnairePlan, QuestionnaireResponse, StandTest

admin.site.register(QuestionnairePlan)
admin.site.register(QuestionnaireResponse)
admin.site.register(StandTest)
admin.site.register(Alert)
