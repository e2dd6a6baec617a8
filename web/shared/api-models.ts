import type { paths } from './api-types';

/**
 * Names for the request and response bodies the web uses, all derived from the generated
 * `paths`, so a contract change shows up as a type error here and not at run time.
 */
type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type Me = JsonContent<paths['/api/v1/auth/me']['get']['responses'][200]>;
export type LoginInput = JsonRequestBody<paths['/api/v1/auth/login']['post']>;
export type Role = Me['user']['role'];

export type StaffMember = JsonContent<paths['/api/v1/staff']['get']['responses'][200]>['items'][number];

export type CustomersQuery = NonNullable<paths['/api/v1/customers']['get']['parameters']['query']>;
export type CustomerPage = JsonContent<paths['/api/v1/customers']['get']['responses'][200]>;
export type Customer = JsonContent<paths['/api/v1/customers/{id}']['get']['responses'][200]>;
export type CustomerInput = JsonRequestBody<paths['/api/v1/customers']['post']>;
export type CustomerPatch = JsonRequestBody<paths['/api/v1/customers/{id}']['patch']>;
export type Customer360 = JsonContent<paths['/api/v1/customers/{id}/360']['get']['responses'][200]>;
export type Family = NonNullable<Customer360['family']>;
export type FamilyMemberInput = JsonRequestBody<paths['/api/v1/customers/{id}/family']['post']>;
export type CustomerTag = JsonContent<paths['/api/v1/customer-tags']['get']['responses'][200]>['items'][number];

export type Gender = Customer['gender'];
export type SourceChannel = NonNullable<Customer['sourceChannel']>;
export type BirthdayInput = NonNullable<CustomerInput['birthday']>;

// Catalogue (品项), appointments and visits (预约到访), settings, dynamic tags, the customer 360 tabs.
export type Item = JsonContent<paths['/api/v1/items/{id}']['get']['responses'][200]>;
export type ItemKind = Item['kind'];
export type ItemsQuery = NonNullable<paths['/api/v1/items']['get']['parameters']['query']>;
export type ItemPage = JsonContent<paths['/api/v1/items']['get']['responses'][200]>;
export type ItemInput = JsonRequestBody<paths['/api/v1/items']['post']>;
export type ItemPatch = JsonRequestBody<paths['/api/v1/items/{id}']['patch']>;
export type ItemCategory = JsonContent<paths['/api/v1/item-categories']['get']['responses'][200]>['items'][number];
export type ItemCategoryInput = JsonRequestBody<paths['/api/v1/item-categories']['post']>;

export type Appointment = JsonContent<paths['/api/v1/appointments/{id}']['patch']['responses'][200]>;
export type AppointmentStatus = Appointment['status'];
export type AppointmentsQuery = NonNullable<paths['/api/v1/appointments']['get']['parameters']['query']>;
export type AppointmentInput = JsonRequestBody<paths['/api/v1/appointments']['post']>;
export type AppointmentPatch = JsonRequestBody<paths['/api/v1/appointments/{id}']['patch']>;
export type ArriveInput = JsonRequestBody<paths['/api/v1/appointments/{id}/arrive']['post']>;
export type Visit = JsonContent<paths['/api/v1/visits']['post']['responses'][201]>;
export type VisitType = Visit['visitType'];
export type VisitsQuery = NonNullable<paths['/api/v1/visits']['get']['parameters']['query']>;
export type VisitInput = JsonRequestBody<paths['/api/v1/visits']['post']>;
export type VisitProposal = JsonContent<paths['/api/v1/customers/{id}/visit-proposal']['get']['responses'][200]>;

export type DealRules = JsonContent<paths['/api/v1/settings/deal-rules']['get']['responses'][200]>;
export type ActivityThresholds = JsonContent<paths['/api/v1/settings/activity']['get']['responses'][200]>;
export type BookingSettings = JsonContent<paths['/api/v1/settings/booking']['get']['responses'][200]>;
export type OrderSettings = JsonContent<paths['/api/v1/settings/orders']['get']['responses'][200]>;

export type DealStatus = Customer['dealStatus'];
export type ActivityStatus = Customer['activity'];

/** A visit type as an order carries it: `not_visited` (未到访) when the order had no visit that day. */
export type OrderVisitType = JsonContent<paths['/api/v1/orders']['get']['responses'][200]>['items'][number]['visitType'];
export type CustomerCourse = JsonContent<paths['/api/v1/customers/{id}/courses']['get']['responses'][200]>['items'][number];
export type CustomerCourseItem = CustomerCourse['items'][number];
export type AuditQuery = NonNullable<paths['/api/v1/audit-log']['get']['parameters']['query']>;
export type AuditEntry = JsonContent<paths['/api/v1/audit-log']['get']['responses'][200]>['items'][number];

// Orders, payments, courses and shift close (收银 / 订单 / 划扣 / 交班).
export type ReversalReason = JsonContent<paths['/api/v1/settings/reversal-reasons']['get']['responses'][200]>['items'][number];
export type OrdersQuery = NonNullable<paths['/api/v1/orders']['get']['parameters']['query']>;
export type OrderPage = JsonContent<paths['/api/v1/orders']['get']['responses'][200]>;
export type OrderSummary = OrderPage['items'][number];
export type Order = JsonContent<paths['/api/v1/orders/{id}']['get']['responses'][200]>;
export type OrderLine = Order['lines'][number];
export type OrderPayment = Order['payments'][number];
export type OrderStatus = Order['status'];
export type OpenOrderInput = JsonRequestBody<paths['/api/v1/orders']['post']>;
export type OrderLineInput = OpenOrderInput['lines'][number];
export type AttributionShare = NonNullable<OrderLineInput['attribution']>[number];
export type AttributionRole = AttributionShare['role'];
export type PaymentsInput = JsonRequestBody<paths['/api/v1/orders/{id}/checkout']['post']>;
export type PaymentInput = PaymentsInput['payments'][number];
export type PaymentMethod = PaymentInput['method'];
export type VoidOrderInput = JsonRequestBody<paths['/api/v1/orders/{id}/void']['post']>;
export type RefundInput = JsonRequestBody<paths['/api/v1/orders/{id}/refunds']['post']>;
export type ReversalInput = JsonRequestBody<paths['/api/v1/payments/{id}/reversal']['post']>;
export type ReversalReasonCode = ReversalInput['reasonCode'];
export type ReceiptWidth = NonNullable<NonNullable<paths['/api/v1/orders/{id}/receipt']['get']['parameters']['query']>['width']>;
export type DeductionsQuery = NonNullable<paths['/api/v1/deductions']['get']['parameters']['query']>;
export type Deduction = JsonContent<paths['/api/v1/deductions']['get']['responses'][200]>['items'][number];
export type DeductionInput = JsonRequestBody<paths['/api/v1/course-items/{id}/deductions']['post']>;
export type ShiftQuery = paths['/api/v1/shift-close']['get']['parameters']['query'];
export type ShiftTotals = JsonContent<paths['/api/v1/shift-close']['get']['responses'][200]>;
export type ShiftCloseInput = JsonRequestBody<paths['/api/v1/shift-closes']['post']>;
export type DayReopenInput = JsonRequestBody<paths['/api/v1/shift-closes/reopen']['post']>;

// Checkout pricing (开单定价, SPEC §8).
export type QuoteInput = JsonRequestBody<paths['/api/v1/orders/quote']['post']>;
export type Quote = JsonContent<paths['/api/v1/orders/quote']['post']['responses'][200]>;
export type PricingSettings = JsonContent<paths['/api/v1/settings/pricing']['get']['responses'][200]>;

// Points (积分, SPEC §6) and the member portal (SPEC §18).
export type PointsOverview = JsonContent<paths['/api/v1/customers/{id}/points']['get']['responses'][200]>;
export type PointsLot = PointsOverview['lots'][number];
export type PointsEntry = PointsOverview['entries'][number];
export type PointsEntryType = PointsEntry['type'];
export type PointsExplain = JsonContent<paths['/api/v1/points/entries/{id}']['get']['responses'][200]>;
export type PointsAdjustmentInput = JsonRequestBody<paths['/api/v1/customers/{id}/points/adjustments']['post']>;
export type PointsSettings = JsonContent<paths['/api/v1/settings/points']['get']['responses'][200]>;
export type PointsSettingsInput = JsonRequestBody<paths['/api/v1/settings/points']['put']>;
export type PointsPreviewInput = JsonRequestBody<paths['/api/v1/points/preview']['post']>;
export type PointsPreview = JsonContent<paths['/api/v1/points/preview']['post']['responses'][200]>;
export type PointsImpact = JsonContent<paths['/api/v1/settings/points/impact']['post']['responses'][200]>;
export type HolidayCalendar = JsonContent<paths['/api/v1/settings/points/holidays']['get']['responses'][200]>;
export type HolidayCalendarDay = HolidayCalendar['items'][number];
export type HolidayKind = HolidayCalendarDay['kind'];
export type ClinicHolidayInput = JsonRequestBody<paths['/api/v1/settings/points/holidays/{day}']['put']>;

export type PortalMe = JsonContent<paths['/api/portal/v1/me']['get']['responses'][200]>;
export type PortalLogin = JsonContent<paths['/api/portal/v1/auth/login']['post']['responses'][200]>;
export type PortalCodeSent = JsonContent<paths['/api/portal/v1/auth/code']['post']['responses'][202]>;
export type PortalPoints = JsonContent<paths['/api/portal/v1/points']['get']['responses'][200]>;
export type PortalPointsHistoryItem = PortalPoints['history'][number];
export type PortalCourse = JsonContent<paths['/api/portal/v1/courses']['get']['responses'][200]>['items'][number];
export type PortalOrder = JsonContent<paths['/api/portal/v1/orders']['get']['responses'][200]>['items'][number];
export type PortalBookingOptions = JsonContent<paths['/api/portal/v1/booking']['get']['responses'][200]>;
export type PortalBookingSlot = JsonContent<paths['/api/portal/v1/booking/slots']['get']['responses'][200]>['slots'][number];
export type PortalAppointment = JsonContent<paths['/api/portal/v1/appointments']['get']['responses'][200]>['items'][number];
export type PortalInbox = JsonContent<paths['/api/portal/v1/messages']['get']['responses'][200]>;
export type PortalInboxMessage = PortalInbox['items'][number];
export type PortalConsents = JsonContent<paths['/api/portal/v1/consents']['get']['responses'][200]>;
export type PortalWechatBinding = JsonContent<paths['/api/portal/v1/wechat']['get']['responses'][200]>;
export type PortalReceipt = JsonContent<paths['/api/portal/v1/orders/{id}/receipt']['get']['responses'][200]>;

// Setting up a clinic: the setup page, 诊所 / 门店 / 员工 settings, changing a password.
export type SetupStatus = JsonContent<paths['/api/v1/setup']['get']['responses'][200]>;
export type SetupInput = JsonRequestBody<paths['/api/v1/setup']['post']>;
export type ClinicProfile = JsonContent<paths['/api/v1/settings/clinic']['get']['responses'][200]>;
export type ClinicProfileInput = JsonRequestBody<paths['/api/v1/settings/clinic']['put']>;
export type Store = JsonContent<paths['/api/v1/stores']['get']['responses'][200]>['items'][number];
export type StoreInput = JsonRequestBody<paths['/api/v1/stores']['post']>;
export type StaffAccount = JsonContent<paths['/api/v1/staff/accounts']['get']['responses'][200]>['items'][number];
export type StaffCreateInput = JsonRequestBody<paths['/api/v1/staff']['post']>;
export type StaffUpdateInput = JsonRequestBody<paths['/api/v1/staff/{id}']['patch']>;
export type ChangePasswordInput = JsonRequestBody<paths['/api/v1/auth/password']['post']>;
