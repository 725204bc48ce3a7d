from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "klynge.projects"
    label = "projects"
    verbose_name = _("Projects and EU applications")

    def ready(self):
        from klynge.core.context_processors import register_navigation
        from klynge.core.merging import ON_COLLISION
        from klynge.ecosystem.selectors import ORGANISATION_TIMELINE
        from klynge.projects import selectors, services

        if selectors.organisation_projects not in ORGANISATION_TIMELINE:
            ORGANISATION_TIMELINE.append(selectors.organisation_projects)
        ON_COLLISION["projects.ProjectPartner"] = services.partner_merge_collision
        register_navigation(_("Projects"), "projects:project_list",
                            after="activities:activity_list")
