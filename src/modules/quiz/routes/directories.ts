// GET /users|/pipelines|/steps|/fields|/tags read our cache with the seed's pagination; PATCH enqueues a refresh
// from amoCRM (a job: it respects the 7 req/s limit and survives restarts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Hub } from '../../../platform/hub.js';
import {
  PaginationQuery,
  StepsQuery,
  UserListFieldsResp,
  UserListPipelinesResp,
  UserListResp,
  UserListStepsResp,
  UserListTagsResp,
} from '../contract.js';
import { accountOf, QUIZ_SECURITY, type QuizJwtVerifier } from '../auth.js';
import type { AccountService } from '../accounts.js';
import type { DirectoryService } from '../directories.js';
import { jsonString, quizError } from '../errors.js';
import { QUEUES, type Directory } from '../queues.js';
import { E400, E401, E404, E500, OK, TAG } from './common.js';

interface Deps {
  readonly hub: Hub;
  readonly auth: QuizJwtVerifier;
  readonly accounts: AccountService;
  readonly directories: DirectoryService;
}

const LISTS: ReadonlyArray<{ dir: Directory; getId: string; patchId: string; what: string; response: TSchema; doc: string }> = [
  {
    dir: 'users',
    getId: 'GettingUserWithPagination',
    patchId: 'UpdateListUsers',
    what: 'юзеров',
    response: UserListResp,
    doc: 'users-api#users-list',
  },
  {
    dir: 'pipelines',
    getId: 'GetPipelinesWithPagination',
    patchId: 'UpdateListPipelines',
    what: 'воронок',
    response: UserListPipelinesResp,
    doc: 'leads_pipelines',
  },
  {
    dir: 'steps',
    getId: 'GetStepsWithPagination',
    patchId: 'UpdateListSteps',
    what: 'этапов воронок',
    response: UserListStepsResp,
    doc: 'leads_pipelines',
  },
  {
    dir: 'fields',
    getId: 'GetFieldsWithPagination',
    patchId: 'UpdateListCustom',
    what: 'кастомных полей',
    response: UserListFieldsResp,
    doc: 'custom-fields',
  },
  { dir: 'tags', getId: 'GetTagsWithPagination', patchId: 'UpdateListTags', what: 'тегов', response: UserListTagsResp, doc: 'tags-api' },
];

export function directoryRoutes(app: FastifyInstance, deps: Deps): void {
  const { hub, auth, accounts, directories } = deps;
  const tags = [TAG];

  for (const list of LISTS) {
    app.get(
      `/${list.dir}`,
      {
        onRequest: auth.guard,
        schema: {
          operationId: list.getId,
          tags,
          description: `получение списка ${list.what}, закешированных у нас, с пагинацией (page с 1, size по умолчанию 25, не больше 100); удалённые в amoCRM отдаются с Deleted=true в конце списка. https://www.amocrm.ru/developers/content/crm_platform/${list.doc}`,
          security: QUIZ_SECURITY,
          querystring: list.dir === 'steps' ? StepsQuery : PaginationQuery,
          response: { 200: list.response, 400: E400, 401: E401, 404: E404, 500: E500 },
        },
      },
      async (req: FastifyRequest) => {
        const quizAccountId = accountOf(req);
        const q = req.query as Static<typeof StepsQuery>;
        if (list.dir === 'steps' && q.pipelineID === undefined) throw quizError('PIPELINE_REQUIRED');
        const { amoAccountId } = await accounts.live(quizAccountId);
        switch (list.dir) {
          case 'users':
            return directories.users(amoAccountId, quizAccountId, q);
          case 'pipelines':
            return directories.pipelines(amoAccountId, q);
          case 'steps':
            return directories.steps(amoAccountId, q.pipelineID!, q);
          case 'fields':
            return directories.fields(amoAccountId, q);
          case 'tags':
            return directories.tags(amoAccountId, q);
        }
      },
    );

    app.patch(
      `/${list.dir}`,
      {
        onRequest: auth.guard,
        schema: {
          operationId: list.patchId,
          tags,
          description: `обновление списка ${list.what} из amoCRM: ставит задачу синхронизации и сразу отвечает "Success"`,
          security: QUIZ_SECURITY,
          response: { 200: OK, 401: E401, 404: E404, 500: E500 },
        },
      },
      async (req: FastifyRequest, reply: FastifyReply) => {
        const { amoAccountId } = await accounts.live(accountOf(req));
        await hub.jobs.send(QUEUES.sync, { amoAccountId, directories: [list.dir] });
        return reply.type('application/json; charset=utf-8').send(jsonString('Success'));
      },
    );
  }
}
