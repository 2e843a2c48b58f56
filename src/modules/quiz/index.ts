// Quiz → amoCRM (seed 003): a quiz account connects its amoCRM account, we cache its directories, it saves one
// rule per quiz, and every quiz result becomes a lead in the right pipeline and stage. Entrance of the module:
// wires services, queues and routes; the logic lives in the services.
import { defineModule, type ModuleContext } from '../../platform/module.js';
import type { Connectors } from '../../connectors/index.js';
import { QUIZ_SETTINGS } from './settings.js';
import { QuizJwtVerifier } from './auth.js';
import { AccountService } from './accounts.js';
import { DirectoryService } from './directories.js';
import { RuleService } from './rules.js';
import { ResultService } from './results.js';
import { DEFAULT_DELIVERY, DeliveryService, type DeliveryOptions } from './delivery.js';
import { useQuizEnvelope } from './errors.js';
import { useCors } from '../../platform/http/cors.js';
import { QUEUES } from './queues.js';
import { accountRoutes } from './routes/account.js';
import { directoryRoutes } from './routes/directories.js';
import { ruleRoutes } from './routes/rules.js';
import { resultRoutes } from './routes/results.js';
import { quizAdminRoutes } from './routes/admin.js';
import { RESULTS_TAG, TAG } from './routes/common.js';

export type { DeliveryOptions } from './delivery.js';

/** The module with tunable delivery retries (tests shorten them); `quizModule` is the default. */
export function createQuizModule(opts: Partial<DeliveryOptions> = {}) {
  return defineModule({
    name: 'quiz',
    prefix: '/quiz',
    docs: 'docs/modules/quiz.md',
    settings: QUIZ_SETTINGS,
    securitySchemes: { quizJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Quiz platform JWT' } },
    tags: [
      { name: TAG, description: 'Seed 003 «QUIZ AMOCRM integration»: операции, связанные с AmoCRM' },
      { name: RESULTS_TAG, description: 'Приём результатов квиза: каждый результат становится сделкой в amoCRM' },
      { name: 'admin: quiz', description: 'Quiz results for operators: failures and redelivery' },
    ],
    create({ hub, settings, deps }: ModuleContext<typeof QUIZ_SETTINGS, Connectors>) {
      const amo = deps.amo;
      const auth = new QuizJwtVerifier(settings);
      const accounts = new AccountService(hub, amo, settings.afterConnectUrl);
      const directories = new DirectoryService(hub, amo);
      const rules = new RuleService(hub, accounts, directories);
      const results = new ResultService(hub, accounts);
      const delivery = new DeliveryService(hub, amo, { ...DEFAULT_DELIVERY, ...opts });

      return {
        queues: [
          QUEUES.sync.worker((d) => directories.sync(d.amoAccountId, d.directories)),
          QUEUES.ruleCheck.worker((d) => rules.check(d.ruleId)),
          QUEUES.prepare.worker((d) => delivery.prepare(d)),
          QUEUES.delivered.batchWorker((jobs) => delivery.delivered(jobs)),
        ],
        async routes(app) {
          useQuizEnvelope(app);
          // Quiz builders call from their web app: CORS_ALLOWED_ORIGINS (off when empty).
          if (hub.config.corsAllowedOrigins.length)
            await useCors(app, {
              origins: () => hub.config.corsAllowedOrigins,
              methods: ['GET', 'POST', 'PATCH', 'DELETE'],
              allowedHeaders: ['Authorization', 'Content-Type'],
              exposedHeaders: ['x-error-code'],
            });
          accountRoutes(app, { auth, accounts, amo });
          directoryRoutes(app, { hub, auth, accounts, directories });
          ruleRoutes(app, { auth, rules });
          resultRoutes(app, { auth, results, bodyLimitBytes: hub.config.bodyLimitBytes });
        },
        adminRoutes(app) {
          quizAdminRoutes(app, { hub, delivery });
        },
      };
    },
  });
}

export const quizModule = createQuizModule();
