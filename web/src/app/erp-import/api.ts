import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fileUrl, uploadWithProgress } from '../../api/client';

export const erpKinds = ['contracts', 'plan-items', 'payments', 'time-entries'] as const;
export type ErpKind = (typeof erpKinds)[number];

export const erpTemplateUrl = (kind: ErpKind, format: 'xlsx' | 'csv') => fileUrl(`/api/commerce/import/${kind}/template`, { query: { format } });

/**
 * One ERP file, all rows or none (`POST /api/commerce/import/{kind}`): the bytes sent are reported as they go;
 * the server's answer counts the rows written and skipped. Everything read from the commercial record refreshes.
 */
export function useErpImport(kind: ErpKind) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress: (sent: number, total: number) => void }) =>
      uploadWithProgress(`/api/commerce/import/${kind}`, file, onProgress),
    onSuccess: () => qc.invalidateQueries(),
  });
}
