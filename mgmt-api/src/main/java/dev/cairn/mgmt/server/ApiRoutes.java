package dev.cairn.mgmt.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one route table of the control plane. Each row declares its permission, whether it is audited and
 * whether it needs step-up; {@link Gate} enforces the rows, the RBAC matrix test walks them, and
 * /openapi.yaml must list exactly these paths.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static List<ApiRoute> table(Appliance app) {
        List<ApiRoute> all = new ArrayList<>();
        all.addAll(SystemRoutes.routes(app));
        all.addAll(AuthRoutes.routes(app));
        all.addAll(UserRoutes.routes(app));
        all.addAll(AccessRoutes.routes(app));
        all.addAll(KeyRoutes.routes(app));
        all.addAll(AuditRoutes.routes(app));
        all.addAll(CertRoutes.routes(app));
        all.addAll(RepoRoutes.routes(app));
        Set<String> seen = new HashSet<>();
        for (ApiRoute r : all) {
            if (!seen.add(r.method().text() + " " + r.path())) {
                throw new IllegalStateException("two routes for " + r.method().text() + " " + r.path());
            }
        }
        return List.copyOf(all);
    }
}
