import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, InputNumber, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributionRole, AttributionShare, StaffMember } from '../../shared/api-models';
import { useStaffOptions } from '../customers/options';
import { attributionProblemOf, evenRatios, toBasisPoints } from './cart';

const roleSet = { consultant: true, doctor: true, nurse: true, executor: true } satisfies Record<AttributionRole, true>;
export const attributionRoles = Object.keys(roleSet).filter((role): role is AttributionRole => role in roleSet);

type DraftShare = { key: number; staffId: string | undefined; role: AttributionRole; ratioPercent: number | null };

const toDraft = (shares: readonly AttributionShare[]): DraftShare[] => shares.map((share, index) => ({ key: index, ...share }));

const toShares = (drafts: readonly DraftShare[]): AttributionShare[] | undefined => {
  const shares: AttributionShare[] = [];
  for (const draft of drafts) {
    if (!draft.staffId || draft.ratioPercent === null) return undefined;
    shares.push({ staffId: draft.staffId, role: draft.role, ratioPercent: draft.ratioPercent });
  }
  return shares;
};

type AttributionEditorProps = {
  open: boolean;
  lineName: string;
  value: readonly AttributionShare[];
  staff: readonly StaffMember[];
  onApply: (shares: AttributionShare[]) => void;
  onCancel: () => void;
};

/** 业绩归属 of one line: staff, role and ratio rows whose sum is checked as you type. */
export const AttributionEditor = ({ open, lineName, value, staff, onApply, onCancel }: AttributionEditorProps) => {
  const { t } = useTranslation();
  const staffOptions = useStaffOptions(staff);
  const [drafts, setDrafts] = useState<DraftShare[]>(() => toDraft(value));
  const [nextKey, setNextKey] = useState(value.length);

  const sumBasisPoints = drafts.reduce((sum, draft) => sum + toBasisPoints(draft.ratioPercent ?? 0), 0);
  const shares = toShares(drafts);
  const problem = shares ? attributionProblemOf(shares) : 'incomplete';
  const update = (key: number, patch: Partial<DraftShare>) => setDrafts(drafts.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));

  const addRow = () => {
    const ratios = evenRatios(drafts.length + 1);
    setDrafts([
      ...drafts.map((draft, index) => ({ ...draft, ratioPercent: ratios[index] ?? null })),
      { key: nextKey, staffId: undefined, role: drafts.length === 0 ? 'consultant' : 'doctor', ratioPercent: ratios[drafts.length] ?? null },
    ]);
    setNextKey(nextKey + 1);
  };

  const spreadEvenly = () => {
    const ratios = evenRatios(drafts.length);
    setDrafts(drafts.map((draft, index) => ({ ...draft, ratioPercent: ratios[index] ?? null })));
  };

  const problemText =
    problem === 'duplicate' ? t('payments.attribution.duplicate') : problem === 'sum' || problem === 'ratio' ? t('payments.attribution.mustBe100') : undefined;

  return (
    <Modal
      open={open}
      title={t('payments.attribution.title', { name: lineName })}
      okText={t('payments.attribution.apply')}
      okButtonProps={{ disabled: problem !== undefined }}
      onOk={() => shares && onApply(shares)}
      onCancel={onCancel}
      width={640}
      destroyOnHidden
    >
      <Flex vertical gap="small">
        {drafts.length === 0 && <Typography.Text type="secondary">{t('payments.attribution.none')}</Typography.Text>}
        {drafts.map((draft, index) => (
          <Flex key={draft.key} gap="small" align="center">
            <Select<string>
              aria-label={t('payments.attribution.staffLabel', { index: index + 1 })}
              style={{ flex: 1, minWidth: 0 }}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('payments.attribution.staff')}
              value={draft.staffId}
              options={staffOptions}
              onChange={(staffId) => update(draft.key, { staffId })}
            />
            <Select<AttributionRole>
              aria-label={t('payments.attribution.roleLabel', { index: index + 1 })}
              style={{ width: 110 }}
              value={draft.role}
              options={attributionRoles.map((role) => ({ value: role, label: t(`payments.attribution.roles.${role}`) }))}
              onChange={(role) => update(draft.key, { role })}
            />
            <InputNumber<number>
              aria-label={t('payments.attribution.ratioLabel', { index: index + 1 })}
              style={{ width: 110 }}
              min={0.01}
              max={100}
              step={1}
              precision={2}
              suffix="%"
              value={draft.ratioPercent}
              onChange={(ratioPercent) => update(draft.key, { ratioPercent })}
            />
            <Button
              type="text"
              aria-label={t('payments.removeRow')}
              icon={<DeleteOutlined />}
              onClick={() => setDrafts(drafts.filter((other) => other.key !== draft.key))}
            />
          </Flex>
        ))}
        <Flex justify="space-between" align="center">
          <Flex gap="small">
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={addRow} disabled={drafts.length >= 10}>
              {t('payments.attribution.add')}
            </Button>
            {drafts.length > 1 && (
              <Button size="small" onClick={spreadEvenly}>
                {t('payments.attribution.even')}
              </Button>
            )}
          </Flex>
          {drafts.length > 0 && (
            <Tag color={sumBasisPoints === 10_000 ? 'success' : 'error'} role="status">
              {t('payments.attribution.sum', { sum: sumBasisPoints / 100 })}
            </Tag>
          )}
        </Flex>
        {problemText && drafts.length > 0 && <Typography.Text type="danger">{problemText}</Typography.Text>}
      </Flex>
    </Modal>
  );
};
