/** SessionRejectReason (373) codes and the exact Text (58) QuickFIX sends with each. */

export const RejectReason = {
  INVALID_TAG_NUMBER: 0,
  REQUIRED_TAG_MISSING: 1,
  TAG_NOT_DEFINED_FOR_MESSAGE: 2,
  UNDEFINED_TAG: 3,
  TAG_WITHOUT_VALUE: 4,
  VALUE_INCORRECT: 5,
  INCORRECT_DATA_FORMAT: 6,
  COMPID_PROBLEM: 9,
  SENDING_TIME_ACCURACY: 10,
  INVALID_MSGTYPE: 11,
  TAG_APPEARS_MORE_THAN_ONCE: 13,
  TAG_OUT_OF_ORDER: 14,
  GROUP_FIELDS_OUT_OF_ORDER: 15,
  INCORRECT_NUMINGROUP_COUNT: 16,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export const REJECT_TEXT: Readonly<Record<number, string>> = {
  0: 'Invalid tag number',
  1: 'Required tag missing',
  2: 'Tag not defined for this message type',
  3: 'Undefined Tag',
  4: 'Tag specified without a value',
  5: 'Value is incorrect (out of range) for this tag',
  6: 'Incorrect data format for value',
  9: 'CompID problem',
  10: 'SendingTime accuracy problem',
  11: 'Invalid MsgType',
  13: 'Tag appears more than once',
  14: 'Tag specified out of required order',
  15: 'Repeating group fields out of order',
  16: 'Incorrect NumInGroup count for repeating group',
};

/** BusinessRejectReason (380) values used by the session and the simulator. */
export const BusinessRejectReason = {
  OTHER: 0,
  UNKNOWN_ID: 1,
  UNKNOWN_SECURITY: 2,
  UNSUPPORTED_MESSAGE_TYPE: 3,
  APPLICATION_NOT_AVAILABLE: 4,
  CONDITIONALLY_REQUIRED_FIELD_MISSING: 5,
  NOT_AUTHORIZED: 6,
} as const;
