import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarCoverage, getCalendarArrangements, getWorkCalendar, setCalendarArrangements } from '../../app/policies/workCalendar.js';
import { roles } from '../../domain/roles.js';
import { requireActor } from '../auth.js';
import type { AppContext } from '../context.js';
import { errorBody } from '../errors.js';

const staff = roles.filter((r) => r !== 'citizen');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');
const year = z
  .object({
    year: z.number().int(),
    holidays: z.array(date).max(60).describe('放假日期（含调休形成的连休）'),
    workdays: z.array(date).max(20).describe('调休上班的周末'),
    source: z.string().trim().max(300).nullable().optional().describe('e.g. 国办发明电〔2026〕X号'),
  })
  .meta({ id: 'YearArrangement' });
const coverage = z.object({ package: z.object({ from: z.number(), to: z.number() }), entered: z.array(z.number()), effective: z.object({ from: z.number(), to: z.number() }) });
const body = z.object({ years: z.array(year.extend({ source: z.string().nullable() })), coverage });

export const calendarRoutes = (ctx: AppContext): FastifyPluginAsync => async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const view = async () => {
    const years = await getCalendarArrangements(ctx.store.db);
    return { years, coverage: calendarCoverage(await getWorkCalendar(ctx.store.db), years) };
  };
  r.get(
    '/policies/calendar',
    { schema: { tags: ['policies'], summary: '工作日历 The working-day calendar: years from chinese-days and years entered by administrators (staff)', response: { 200: body, 401: errorBody, 403: errorBody } } },
    async (req) => {
      requireActor(req, staff);
      return view();
    },
  );
  r.put(
    '/policies/calendar',
    {
      schema: {
        tags: ['policies'],
        summary: '录入节假日安排 Enter the years the package does not know yet (admin; audited; new clocks count on them)',
        body: z.object({ years: z.array(year).max(20) }),
        response: { 200: body, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req) => {
      const actor = requireActor(req, ['admin']);
      await setCalendarArrangements({ db: ctx.store.db, actor, years: req.body.years.map((y) => ({ ...y, source: y.source ?? null })), now: ctx.now() });
      return view();
    },
  );
};
